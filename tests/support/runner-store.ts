import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { JobRunner } from "../../backend/src/jobs/job-runner.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";

/**
 * For a describe block: a migrated SQLite store in a directory of its own, removed afterwards, and a
 * list where tests put the job runners they start, each stopped after its test, whose jobs are then
 * cleared.
 */
export function runnerStore(prefix: string): { store: () => SqlStore; file: () => string; runners: JobRunner[] } {
  let dir = "";
  let store: SqlStore | undefined;
  let driver: SqliteDriver | undefined;
  const runners: JobRunner[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    driver = new SqliteDriver(join(dir, "db.sqlite"));
    store = new SqlStore(driver, new SecretBox(Buffer.alloc(32, 5)));
    await store.migrate(Date.now());
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    // A test that failed may have left jobs behind: the next one starts from an empty queue.
    await driver?.run(`DELETE FROM jobs`);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    store: () => {
      if (!store) throw new Error("the store is not ready");
      return store;
    },
    file: () => join(dir, "db.sqlite"),
    runners,
  };
}
