import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteCheckpointer, WAL_CATCH_UP_PAGES } from "../../backend/src/adapters/store/sqlite-checkpointer.js";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";

const until = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
};

describe("SQLite WAL checkpoints in the background", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "salesbot-checkpoint-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("copies committed pages into the database file without the writing connection doing it", async () => {
    const file = join(dir, "db.sqlite");
    const driver = new SqliteDriver(file);
    try {
      await driver.run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
      const sizeBefore = statSync(file).size;
      // About 6 MB in one commit: below the 40 MB at which the connection itself would ever checkpoint.
      await driver.transaction(async (tx) => {
        for (let i = 0; i < 1500; i++) await tx.run(`INSERT INTO t (v) VALUES (?)`, ["x".repeat(4000)]);
      });
      expect(statSync(file).size).toBeLessThan(sizeBefore + 1_000_000);
      expect(await until(() => statSync(file).size > sizeBefore + 5_000_000, 5_000)).toBe(true);
      expect(await driver.all(`SELECT COUNT(*) AS n FROM t`)).toEqual([{ n: 1500 }]);
    } finally {
      await driver.close();
    }
  });

  it("keeps the WAL from growing while commits never pause", async () => {
    const file = join(dir, "busy.sqlite");
    const driver = new SqliteDriver(file);
    try {
      await driver.run(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
      const row = "x".repeat(4000);
      const walLimit = WAL_CATCH_UP_PAGES * 4096 * 1.25;
      let written = 0;
      // Twenty rows per group commit, one commit right after the other, until half as much again as
      // the WAL's limit is written (or ten seconds have passed).
      const deadline = Date.now() + 10_000;
      while (written < 1.5 * walLimit && Date.now() < deadline) {
        await Promise.all(Array.from({ length: 20 }, () => driver.run(`INSERT INTO t (v) VALUES (?)`, [row])));
        written += 20 * row.length;
      }
      expect(written).toBeGreaterThan(1.5 * walLimit);
      // Without a checkpoint that catches up with the writer, the WAL holds everything written.
      expect(statSync(`${file}-wal`).size).toBeLessThan(walLimit);
    } finally {
      await driver.close();
    }
  });

  it("reports a worker that cannot open the database, so the caller can fall back", async () => {
    const reasons: string[] = [];
    const checkpointer = new SqliteCheckpointer({ file: join(dir, "missing.sqlite"), intervalMs: 50, onFailure: (reason) => reasons.push(reason) });
    expect(await until(() => reasons.length > 0, 5_000)).toBe(true);
    expect(reasons[0]).toMatch(/CANTOPEN|unable to open/i);
    await checkpointer.stop();
  });
});
