/**
 * The webhook ingest write off the event loop. Each batch of verified bodies is one transaction whose
 * COMMIT (WAL append + fsync, synchronous=FULL) used to block the main thread for a third of its time
 * under load. Here a worker thread with its own connection to the same file runs that transaction and
 * answers only after its COMMIT has returned, so a caller that
 * acknowledges on that answer acknowledges durable data only. Batches that arrive while a COMMIT runs
 * wait in the worker's port and go into the next transaction together, each in its own savepoint (as
 * the driver runs transactions): what gathered during one COMMIT does not wait for a round trip to the
 * main thread before the next begins. A failed COMMIT refuses every batch in it.
 *
 * It is one more writer on the file, and SQLite takes one at a time. The worker does not arbitrate
 * with the main connection through SQLite's busy handler (a busy wait there would block the event loop
 * in sleeps of a millisecond or more): SqliteDriver runs each batch as one of its queued operations and
 * opens no transaction of its own until the batch has settled. The busy timeout below only covers
 * other processes on the same file.
 *
 * Like the checkpointer, the worker is plain JavaScript evaluated from a string (same under tsx,
 * vitest and built code) and loads the better-sqlite3 this module resolves. It reports itself ready
 * once its connection is open; a worker that cannot open the file or dies is reported through
 * onFailure, and the batches it held are refused, as a failed COMMIT refuses them.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { WebhookEventInput } from "../../domain/ports/store.js";
import { SQLITE_INSERT_WEBHOOK_EVENT, SQLITE_INSERT_WEBHOOK_JOB, WEBHOOK_JOB_MAX_ATTEMPTS } from "./webhook-ingest-sql.js";
import { WAL_CATCH_UP_PAGES } from "./sqlite-checkpointer.js";
import { describeWorkerError } from "./worker-errors.js";

const WORKER_SOURCE = `
const { parentPort, receiveMessageOnPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driverPath);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.pragma("foreign_keys = ON");
db.pragma("temp_store = MEMORY");
// The checkpointer thread copies the WAL back; this connection copies only what that thread left
// behind, when the WAL reaches the given size (see sqlite-checkpointer.ts).
db.pragma("wal_autocheckpoint = " + workerData.walCatchUpPages);
db.pragma("busy_timeout = 5000");
// Prepared on first use: a fresh database gets its tables from the migrations, after this opens.
let insertEvent = null;
let insertJob = null;
const refusal = (error) => ({ code: error && error.code, message: String(error && error.message) });
const store = ({ bodies, shas, receivedAt }) => {
  for (let i = 0; i < bodies.length; i++) {
    const row = insertEvent.get(bodies[i], shas[i], receivedAt[i]);
    insertJob.run(JSON.stringify({ eventId: Number(row.id) }), receivedAt[i], workerData.jobMaxAttempts, receivedAt[i], receivedAt[i]);
  }
  return bodies.length;
};
// Each batch in a savepoint, as the driver runs each transaction: a failing statement undoes its own batch only.
const storeInSavepoint = (batch) => {
  db.exec("SAVEPOINT batch");
  try {
    const stored = store(batch);
    db.exec("RELEASE batch");
    return { id: batch.id, stored };
  } catch (error) {
    if (!db.inTransaction) throw error;
    db.exec("ROLLBACK TO batch");
    db.exec("RELEASE batch");
    return { id: batch.id, refused: refusal(error) };
  }
};
const writeTogether = (batches) => {
  const answers = [];
  try {
    insertEvent ??= db.prepare(workerData.insertEventSql);
    insertJob ??= db.prepare(workerData.insertJobSql);
    db.exec("BEGIN IMMEDIATE");
    for (const batch of batches) answers.push(storeInSavepoint(batch));
    db.exec("COMMIT");
    return answers;
  } catch (error) {
    // A failed COMMIT (deferred constraint, I/O error…) can leave the transaction open. Should the
    // ROLLBACK throw too, the error ends this thread: its connection closes, which rolls back and
    // releases the write lock, and the parent refuses what it sent.
    if (db.inTransaction) db.exec("ROLLBACK");
    return batches.map((batch) => ({ id: batch.id, refused: refusal(error) }));
  }
};
parentPort.on("message", (first) => {
  // Everything that arrived while the previous COMMIT ran goes into one transaction.
  const batches = [];
  let stop = false;
  for (let message = first; message; message = receiveMessageOnPort(parentPort)?.message) {
    if (message.type === "stop") stop = true;
    else batches.push(message);
  }
  if (batches.length > 0) parentPort.postMessage({ type: "answers", answers: writeTogether(batches) });
  if (stop) {
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ type: "ready" });
`;

/** `stored`: how many bodies of the batch were committed (all of them). */
type Answer = { id: number; stored: number } | { id: number; refused: { code?: string; message: string } };
type WorkerMessage = { type: "ready" } | { type: "answers"; answers: Answer[] };

interface PendingBatch {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface IngestWriterOptions {
  file: string;
  /** Called once if the worker cannot start or dies; the caller should write in its own thread again. */
  onFailure: (reason: string) => void;
}

export class SqliteIngestWriter {
  private readonly worker: Worker;
  private state: "starting" | "ready" | "failed" | "stopped" = "starting";
  private readonly pending = new Map<number, PendingBatch>();
  private nextId = 1;
  private failureReason = "";
  private stopping: Promise<void> | null = null;
  /** Resolves true once the worker's connection is open, false if it never will be. */
  readonly started: Promise<boolean>;
  private settleStarted!: (ok: boolean) => void;

  constructor(private readonly options: IngestWriterOptions) {
    this.started = new Promise((resolve) => (this.settleStarted = resolve));
    const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: options.file, driverPath, insertEventSql: SQLITE_INSERT_WEBHOOK_EVENT, insertJobSql: SQLITE_INSERT_WEBHOOK_JOB, jobMaxAttempts: WEBHOOK_JOB_MAX_ATTEMPTS, walCatchUpPages: WAL_CATCH_UP_PAGES },
    });
    // A background helper must never keep the process alive on its own (it is ref'd while a batch is out).
    this.worker.unref();
    this.worker.on("message", (message: WorkerMessage) => this.receive(message));
    // An error is followed by the exit; what the worker held is refused once it has exited, when its
    // connection is closed and SQLite's write lock released.
    this.worker.on("error", (error: unknown) => {
      this.failureReason ||= describeWorkerError(error);
    });
    this.worker.on("exit", (code) => this.exited(code));
  }

  /** Usable now: started and neither failed nor stopped. */
  get ready(): boolean {
    return this.state === "ready";
  }

  /**
   * Stores the events and their webhook.process jobs as one unit (with any other batches waiting in
   * the worker, in one transaction); resolves once the COMMIT has returned.
   */
  insertWebhookEvents(events: readonly WebhookEventInput[]): Promise<void> {
    if (this.state === "failed" || this.state === "stopped") return Promise.reject(new Error(`SQLite ingest writer is ${this.state}`));
    if (events.length === 0) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      // Column arrays: cheaper to clone across threads than an object per event.
      this.worker.postMessage({ type: "insert", id, bodies: events.map((e) => e.body), shas: events.map((e) => e.bodySha256), receivedAt: events.map((e) => e.receivedAt) });
    });
  }

  private receive(message: WorkerMessage): void {
    if (message.type === "ready") {
      if (this.state === "starting") this.state = "ready";
      this.settleStarted(this.state === "ready");
      return;
    }
    for (const answer of message.answers) {
      const batch = this.pending.get(answer.id);
      if (!batch) continue;
      this.pending.delete(answer.id);
      if ("stored" in answer) batch.resolve();
      else batch.reject(Object.assign(new Error(answer.refused.message), answer.refused.code ? { code: answer.refused.code } : {}));
    }
    if (this.pending.size === 0 && this.stopping === null) this.worker.unref();
  }

  private exited(code: number): void {
    const reason = this.failureReason || `exited with code ${code}`;
    if (this.state === "starting" || this.state === "ready") {
      // Not asked to stop: from now on the caller writes in its own thread.
      this.state = "failed";
      this.options.onFailure(reason);
    }
    this.settleStarted(false);
    const error = new Error(`SQLite ingest writer ended before answering (${reason})`);
    for (const batch of this.pending.values()) batch.reject(error);
    this.pending.clear();
  }

  /** Lets the batches already handed over finish, then ends the worker. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (this.state === "failed") return (this.stopping = Promise.resolve());
    this.state = "stopped";
    // Someone waits for this now: the process must not exit before the connection is closed.
    this.worker.ref();
    this.stopping = new Promise<void>((resolve) => {
      const timeout = setTimeout(() => void this.worker.terminate(), 5_000);
      timeout.unref();
      this.worker.once("exit", () => {
        clearTimeout(timeout);
        resolve();
      });
      this.worker.postMessage({ type: "stop" });
    });
    return this.stopping;
  }
}
