/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses the threshold, on the committing connection: it copies the WAL back into the database file
 * and fsyncs it, which blocked our one thread for tens of milliseconds at a time under load (the
 * ingest p99 doubled). Here a worker thread with its own connection runs PASSIVE checkpoints on a
 * timer instead. PASSIVE never waits for or blocks a writer; once a checkpoint has caught up, the
 * next write starts the WAL from the beginning again, so the file stays small.
 *
 * Caught up means the whole WAL as it is when the writer begins its next transaction. Under steady
 * writes a pass here rarely gets there: it copies the frames that were there when it started, and by
 * the time it has copied them and synced the file, newer commits have added more; with back-to-back
 * groups there is no moment between two of the writer's transactions for it to land in. The WAL then
 * grew without end (330 MB in 13 s at 10k webhooks/s). So:
 * - each tick passes again while commits keep landing (a few short passes often do catch up), and
 *   while the WAL has not started over, the next tick comes soon, so little is ever left uncopied;
 * - the writing connections keep SQLite's own checkpoint at WAL_CATCH_UP_PAGES: when the WAL reaches
 *   that size, the COMMIT that crossed it copies what is left, which is little, and the writer's next
 *   transaction starts the WAL over.
 *
 * The worker is plain JavaScript evaluated from a string, so it runs the same under tsx, vitest and
 * the built code, and it loads the very better-sqlite3 this module resolves. If it cannot start or
 * dies, the caller turns the automatic checkpoint back on: slower, never unbounded.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describeWorkerError } from "./worker-errors.js";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("busy_timeout = 0");
db.pragma("wal_autocheckpoint = 0");
let timer = null;
let stopping = false;
const checkpoint = () => {
  let walPages = 0;
  try {
    let result;
    let walPagesBefore = -1;
    for (let pass = 0; pass < workerData.maxPasses; pass++) {
      [result] = db.pragma("wal_checkpoint(PASSIVE)");
      // All copied, and no commit since the previous pass: the next write restarts the WAL.
      if (result.checkpointed === result.log && result.log === walPagesBefore) break;
      walPagesBefore = result.log;
    }
    walPages = result.log;
    parentPort.postMessage({ type: "checkpointed", walPages: result.log, copied: result.checkpointed });
  } catch (error) {
    // SQLITE_BUSY: another connection is checkpointing or recovering; the next tick tries again.
    if (error && error.code !== "SQLITE_BUSY" && error.code !== "SQLITE_LOCKED") parentPort.postMessage({ type: "failed", message: String(error && error.message) });
  }
  if (!stopping) timer = setTimeout(checkpoint, walPages > workerData.busyWalPages ? workerData.busyIntervalMs : workerData.intervalMs);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  stopping = true;
  clearTimeout(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** Checkpoint passes per tick at most (see the header). */
const MAX_PASSES = 16;
/** A WAL this long has not started over since the last tick: ticks come this often until it has. */
const BUSY_WAL_PAGES = 1024;
const BUSY_INTERVAL_MS = 10;
/**
 * The writing connections' own checkpoint (`wal_autocheckpoint`), in pages of 4 KiB: where a busy
 * writer leaves this thread no moment to catch up, the COMMIT that reaches this size copies the rest.
 */
export const WAL_CATCH_UP_PAGES = 4096;

export interface CheckpointerOptions {
  file: string;
  intervalMs: number;
  /** Called once if the worker cannot do its job; the caller should fall back to automatic checkpoints. */
  onFailure: (reason: string) => void;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private failed = false;
  private stopped: Promise<void> | null = null;

  constructor(private readonly options: CheckpointerOptions) {
    const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: options.file, intervalMs: options.intervalMs, maxPasses: MAX_PASSES, busyWalPages: BUSY_WAL_PAGES, busyIntervalMs: BUSY_INTERVAL_MS, driverPath } });
    // A background helper must never keep the process alive on its own.
    this.worker.unref();
    this.worker.on("message", (message: { type: string; message?: string }) => {
      if (message.type === "failed") this.fail(message.message ?? "checkpoint failed");
    });
    this.worker.on("error", (error: unknown) => this.fail(describeWorkerError(error)));
    this.worker.on("exit", (code) => {
      if (this.stopped === null && code !== 0) this.fail(`checkpoint worker exited with code ${code}`);
    });
  }

  private fail(reason: string): void {
    if (this.failed || this.stopped !== null) return;
    this.failed = true;
    this.options.onFailure(reason);
    void this.worker.terminate();
  }

  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopped = this.failed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timeout = setTimeout(() => void this.worker.terminate(), 5_000);
          timeout.unref();
          this.worker.once("exit", () => {
            clearTimeout(timeout);
            resolve();
          });
          // Someone waits for the last checkpoint now: without this, a process with nothing else to
          // do exits before it (a script's `await driver.close()` ended with exit code 13).
          this.worker.ref();
          this.worker.postMessage("stop");
        });
    return this.stopped;
  }
}
