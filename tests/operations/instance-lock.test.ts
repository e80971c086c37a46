/**
 * One backend per embedded store: a second one on the same DATA_DIR refuses to start, in one line, and
 * the lock is gone as soon as its holder is, however it ended (kill -9 included). The jobs CLI may still
 * open the store while the backend runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InstanceAlreadyRunningError } from "../../backend/src/adapters/store/sqlite-instance-lock.js";
import { loadConfig } from "../../backend/src/config.js";
import { openStore, startBackend } from "../../backend/src/runtime.js";
import { startTestBackend } from "../support/backend.js";
import { startTsChild, waitForOutput } from "../support/child.js";
import { silentLogger } from "../../backend/src/observability/logger.js";

const dirs: string[] = [];
const freshDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "salesbot-lock-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const configFor = (dataDir: string) => loadConfig({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "silent" });

describe("one backend per embedded store", () => {
  it("refuses a second backend on the same DATA_DIR, lets the CLI's store open, and starts again once the first has stopped", async () => {
    const dataDir = freshDataDir();
    const first = await startTestBackend({ dataDir });
    try {
      await expect(startBackend(configFor(dataDir), { logger: silentLogger })).rejects.toBeInstanceOf(InstanceAlreadyRunningError);
      const cliStore = openStore(configFor(dataDir));
      expect(await cliStore.jobs.counts()).toBeDefined();
      await cliStore.close();
      // Another directory is another store.
      const elsewhere = await startBackend(configFor(freshDataDir()), { logger: silentLogger });
      await elsewhere.close();
    } finally {
      await first.close();
    }
    const again = await startBackend(configFor(dataDir), { logger: silentLogger });
    await again.close();
  });

  it("says so in one line and exits 1 when `npm start` finds one running; a killed holder leaves no lock behind", async () => {
    const dataDir = freshDataDir();
    const env = { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" };
    const holder = startTsChild("backend/src/main.ts", [], env);
    try {
      await waitForOutput(holder, /sandbox mode/, 30_000);
      const second = await startTsChild("backend/src/main.ts", [], env).exited;
      expect(second.code).toBe(1);
      expect(`${second.stdout}${second.stderr}`.trim()).toBe(
        `Cannot start: another backend is already running on the embedded store in ${dataDir} (DATA_DIR); stop it, or set DATA_DIR to another directory (EINSTANCELOCKED)`,
      );
    } finally {
      holder.process.kill("SIGKILL");
      await holder.exited;
    }
    const after = await startBackend(configFor(dataDir), { logger: silentLogger });
    await after.close();
  }, 60_000);
});
