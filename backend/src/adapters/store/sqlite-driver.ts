/**
 * Embedded store engine: better-sqlite3 in WAL mode with synchronous=FULL, so every commit is on disk
 * before we acknowledge.
 *
 * Group commit. better-sqlite3 is synchronous, so each commit's fsync blocks the event loop; with one
 * commit per write, a busy process spends its time waiting for the disk (a reply to a customer
 * message takes a dozen writes across its jobs). Instead, writes and transactions are queued and run
 * together at the end of the event-loop turn, inside one BEGIN IMMEDIATE … COMMIT: each transaction in
 * its own SAVEPOINT, so it still commits or rolls back as a unit, and the group pays one fsync.
 * Nobody learns the outcome of a write before the group's COMMIT has returned: promises settle only
 * after it, so no caller acts on data that is not yet durable, and a failed COMMIT fails every write
 * in the group. Operations run one at a time in arrival order (an async transaction cannot
 * interleave with other callers on the one connection), with one exception below.
 *
 * Reads outside a transaction run at once when no group is open: the connection then holds only
 * committed data. While a group is open, a read joins it and also settles after the COMMIT. A read
 * does not wait for writes that are queued but not yet run: as with two calls on a PostgreSQL pool,
 * calls that are not awaited one after the other are concurrent.
 *
 * Pacing: on a slow disk, committing at every turn would keep the event loop blocked in fsync most of
 * the time under load. A group therefore starts no sooner than twice the recent COMMIT time after the
 * previous one ended, which keeps fsync below about a third of the loop's time and lets groups grow
 * instead; on a disk that syncs in a fraction of a millisecond this is no delay at all.
 *
 * Off-thread writes. The webhook ingest write (the busiest write by far: every inbound request) runs
 * on a worker thread with its own connection (sqlite-ingest-writer.ts), so its COMMIT does not block
 * the event loop. SQLite admits one writer at a time, and letting the two connections meet in SQLite's
 * busy handler would put this thread to sleep while the worker holds the lock. Instead such a write is
 * one of the queued operations here: when its turn comes no transaction is open on this connection,
 * and none opens until it has settled, so groups queued behind it wait without blocking anything.
 * Reads go on meanwhile: this connection holds only committed data, and the worker's uncommitted rows
 * are invisible to it. When writes of this thread are waiting too, a group will commit anyway: the
 * off-thread write then joins it as a transaction here (one COMMIT rather than two in turn, which is
 * what a process running its jobs beside the webhook route sees most). The writer thread starts with the
 * first such write; until it is up, and for good if it cannot start or dies, the write always runs here.
 *
 * Where the writer thread does not run (a process that also runs jobs), the ingest write goes ahead of
 * the other queued operations: the webhook's acknowledgement waits for it, and behind hundreds of jobs'
 * writes on a busy process it waited seconds (Meta then retries, adding load). It writes only new
 * rows nobody waits on, so no caller can tell the difference, except in time.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SqliteCheckpointer, WAL_CATCH_UP_PAGES } from "./sqlite-checkpointer.js";
import { SqliteIngestWriter } from "./sqlite-ingest-writer.js";
import { TransactionView, type SqlDriver, type SqlExecutor, type SqlValue } from "./sql-driver.js";

type Bindable = string | number | bigint | Buffer | null;

function bind(params: readonly SqlValue[]): Bindable[] {
  return params.map((value) => {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (typeof value === "boolean") return value ? 1 : 0;
    if (Array.isArray(value)) return JSON.stringify(value);
    return value as Bindable;
  });
}

/** A group stops taking operations after this many, or after this long, so HTTP gets its turn. */
const MAX_GROUP_OPS = 1000;
const MAX_GROUP_MS = 20;
/** Pacing bounds (see above), in milliseconds. */
const MAX_COMMIT_GAP_MS = 10;
const CHECKPOINT_INTERVAL_MS = 200;

class SqliteExecutor implements SqlExecutor {
  readonly dialect = "sqlite" as const;
  readonly transactionKey: object = this;
  constructor(private readonly db: Database.Database, private readonly statements: Map<string, Database.Statement>) {}

  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  allNow<Row>(statement: Database.Statement, params: readonly SqlValue[]): Row[] {
    if (!statement.reader) {
      statement.run(...bind(params));
      return [];
    }
    return statement.all(...bind(params)) as Row[];
  }

  runNow(statement: Database.Statement, params: readonly SqlValue[]): { changes: number } {
    return { changes: statement.run(...bind(params)).changes };
  }

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.allNow<Row>(this.prepare(sql), params);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    return this.runNow(this.prepare(sql), params);
  }

  async atCommit<Row>(sql: string, params: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void> {
    // Run now: the transaction's savepoint still undoes it should the work fail after this.
    const rows = this.allNow<Row>(this.prepare(sql), params);
    onRows?.(rows);
  }

  afterCommit(effect: () => void): void {
    effect();
  }
}

interface Operation {
  /** Runs on the connection; inside the group's transaction unless it is a read and none is open. */
  execute: () => unknown;
  readOnly: boolean;
  /** An off-thread write: runs instead of `execute`, alone, whenever the ingest writer thread is ready. */
  offThread?: (writer: SqliteIngestWriter) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { op: Operation; ok: true; value: unknown } | { op: Operation; ok: false; error: unknown };

export interface SqliteDriverOptions {
  /** Run off-thread writes (the webhook ingest) on a worker thread. File databases only; default true. */
  ingestWriterThread?: boolean;
  /** Told once why the ingest writer thread is unavailable; its writes then run on this connection. */
  onIngestWriterFailure?: (reason: string) => void;
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  readonly transactionKey: object = this;
  private readonly db: Database.Database;
  private readonly executor: SqliteExecutor;
  private queue: Operation[] = [];
  private scheduled = false;
  /** A group is running: reads must queue behind it instead of seeing its uncommitted writes. */
  private running = false;
  private readonly idle: Array<() => void> = [];
  /** Moving average of COMMIT durations that wrote something, and when the last one ended. */
  private commitMs = 0;
  private lastCommitEnd = 0;
  private readonly checkpointer: SqliteCheckpointer | null;
  /** Started by the first off-thread write; null until then, when disabled, and after it failed. */
  private ingestWriter: SqliteIngestWriter | null = null;
  private ingestWriterUnavailable: boolean;
  /**
   * Off-thread writes started and not yet settled. While there are any, they hold the writer turn: no
   * group opens a transaction. Consecutive ones may overlap (the writer thread queues them itself).
   */
  private offThreadInFlight = 0;
  /** Writes of this thread in the queue (not reads, not off-thread writes). */
  private waitingWrites = 0;

  constructor(
    private readonly file: string,
    private readonly options: SqliteDriverOptions = {},
  ) {
    // An in-memory database belongs to its connection: another thread cannot open it.
    this.ingestWriterUnavailable = file === ":memory:" || options.ingestWriterThread === false;
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    // Checkpoints run in a worker thread (see sqlite-checkpointer.ts); this connection copies only what
    // it left behind, when the WAL reaches WAL_CATCH_UP_PAGES. Should the worker fail, this connection
    // checkpoints every ~40 MB of WAL instead of SQLite's 4 MB: the hot pages (the jobs table and its
    // indexes, rewritten by every commit) are then copied back once per checkpoint rather than ten times.
    if (file === ":memory:") {
      this.checkpointer = null;
    } else {
      this.db.pragma(`wal_autocheckpoint = ${WAL_CATCH_UP_PAGES}`);
      this.checkpointer = new SqliteCheckpointer({
        file,
        intervalMs: CHECKPOINT_INTERVAL_MS,
        onFailure: () => {
          if (this.db.open) this.db.pragma("wal_autocheckpoint = 10000");
        },
      });
    }
    // Every transaction runs in a SAVEPOINT inside the group's transaction, so SQLite keeps a
    // sub-journal of the original pages. On disk that is a temporary file created, written page by
    // page and deleted for every group: in a measurement here it doubled the cost of an insert. In
    // memory it needs no fsync either way; it only ever serves a rollback within this connection.
    this.db.pragma("temp_store = MEMORY");
    this.executor = new SqliteExecutor(this.db, new Map());
  }

  all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    let statement: Database.Statement;
    try {
      statement = this.executor.prepare(sql);
    } catch (error) {
      return Promise.reject(error);
    }
    if (statement.readonly && this.quiet()) {
      try {
        return Promise.resolve(this.executor.allNow<Row>(statement, params));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.enqueue(() => this.executor.allNow<Row>(statement, params), statement.readonly) as Promise<Row[]>;
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<{ changes: number }> {
    let statement: Database.Statement;
    try {
      statement = this.executor.prepare(sql);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(() => this.executor.runNow(statement, params), statement.readonly) as Promise<{ changes: number }>;
  }

  async atCommit<Row>(sql: string, params: readonly SqlValue[], onRows?: (rows: Row[]) => void): Promise<void> {
    const rows = await this.all<Row>(sql, params);
    onRows?.(rows);
  }

  afterCommit(effect: () => void): void {
    effect();
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const tx = new TransactionView(this.executor);
    // An operation settles only after its group's COMMIT (see runGroup), so the effects run after it too.
    return (this.enqueue(() => this.inSavepoint(work, tx), false) as Promise<T>).then((result) => {
      tx.committed();
      return result;
    });
  }

  /**
   * A write on the ingest writer thread, as one of the queued operations (see the header): `offThread`
   * gets the writer when the write's turn comes and holds the turn until its promise settles. While the
   * thread is not ready, or when writes of this connection are waiting too, `inThread` runs instead, as
   * a transaction in a group here.
   */
  writeOffThread<T>(offThread: (writer: SqliteIngestWriter) => Promise<T>, inThread: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.ensureIngestWriter();
    return new Promise((resolve, reject) => {
      const tx = new TransactionView(this.executor);
      const committed = (value: unknown) => {
        tx.committed();
        resolve(value as T);
      };
      const op: Operation = { execute: () => this.inSavepoint(inThread, tx), readOnly: false, offThread, resolve: committed, reject };
      // With the writer thread up, it takes these in turn (see the header); without it, first in line.
      const firstOther = this.ingestWriterUnavailable ? this.queue.findIndex((queued) => queued.offThread === undefined) : -1;
      if (firstOther >= 0) this.queue.splice(firstOther, 0, op);
      else this.queue.push(op);
      this.schedule();
    });
  }

  /** The writer thread takes off-thread writes now; it queues them itself, so several may be in flight. */
  get ingestWriterReady(): boolean {
    return this.ingestWriter?.ready === true;
  }

  /** Starts the ingest writer thread if it may run; resolves whether it is up (false: writes stay here). */
  startIngestWriter(): Promise<boolean> {
    return this.ensureIngestWriter()?.started ?? Promise.resolve(false);
  }

  private ensureIngestWriter(): SqliteIngestWriter | null {
    if (this.ingestWriterUnavailable) return null;
    this.ingestWriter ??= new SqliteIngestWriter({
      file: this.file,
      onFailure: (reason) => {
        this.ingestWriterUnavailable = true;
        this.options.onIngestWriterFailure?.(reason);
      },
    });
    return this.ingestWriter;
  }

  /** The next operation is an off-thread write, the thread can take it, and no group of ours is due. */
  private offThreadNext(): boolean {
    return this.queue[0]?.offThread !== undefined && this.waitingWrites === 0 && this.ingestWriter?.ready === true;
  }

  private async inSavepoint<T>(work: (tx: SqlExecutor) => Promise<T>, tx: TransactionView): Promise<T> {
    this.db.exec("SAVEPOINT tx");
    try {
      const result = await work(tx);
      this.db.exec("RELEASE tx");
      return result;
    } catch (error) {
      // Undo this transaction only; the rest of the group stands (unless SQLite ended the transaction).
      if (this.db.inTransaction) {
        this.db.exec("ROLLBACK TO tx");
        this.db.exec("RELEASE tx");
      }
      throw error;
    }
  }

  /**
   * No transaction open: the connection holds only committed data. (Operations still waiting in the
   * queue have not run yet; they are concurrent with this read, which need not see them. Nor need it
   * see an off-thread write in flight, whose rows this connection cannot see before they are committed.)
   */
  private quiet(): boolean {
    return !this.running;
  }

  private enqueue(execute: () => unknown, readOnly: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ execute, readOnly, resolve, reject });
      if (!readOnly) this.waitingWrites++;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.queue.length === 0) return;
    if (this.offThreadInFlight > 0 && !this.offThreadNext()) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      if (this.offThreadNext()) this.runOffThread();
      else void this.runGroup();
    };
    // At the earliest, the end of this event-loop turn: everything queued by the I/O handled in this
    // turn commits together (an off-thread write takes its data when it starts, too). Later if our
    // previous commit was recent (pacing); an off-thread commit does not block this thread.
    const wait = this.offThreadNext() ? 0 : this.lastCommitEnd + Math.min(2 * this.commitMs, MAX_COMMIT_GAP_MS) - performance.now();
    if (wait >= 1) setTimeout(start, wait);
    else setImmediate(start);
  }

  private runOffThread(): void {
    const op = this.queue.shift()!;
    this.offThreadInFlight++;
    let started: Promise<unknown>;
    try {
      started = op.offThread!(this.ingestWriter!);
    } catch (error) {
      started = Promise.reject(error);
    }
    started
      .then(op.resolve, op.reject)
      .finally(() => {
        this.offThreadInFlight--;
        this.nextTurn();
      });
    // A further off-thread write right behind this one need not wait for it.
    this.nextTurn();
  }

  private nextTurn(): void {
    if (this.queue.length > 0) this.schedule();
    else if (!this.running && this.offThreadInFlight === 0) for (const wake of this.idle.splice(0)) wake();
  }

  private async runGroup(): Promise<void> {
    if (this.running || this.offThreadInFlight > 0) return;
    this.running = true;
    const started = performance.now();
    let done: Outcome[] = [];
    let inTransaction = false;
    try {
      let count = 0;
      while (this.queue.length > 0 && count < MAX_GROUP_OPS && performance.now() - started < MAX_GROUP_MS) {
        // The writer thread cannot write while this group holds SQLite's lock: commit, then its turn.
        // (Once this group has written, an off-thread write joins it instead: it commits anyway.)
        if (!inTransaction && this.offThreadNext()) break;
        const op = this.queue.shift()!;
        if (!op.readOnly && op.offThread === undefined) this.waitingWrites--;
        count++;
        if (!inTransaction && op.readOnly) {
          // Nothing written yet in this group: a read needs no transaction and can settle now.
          try {
            op.resolve(op.execute());
          } catch (error) {
            op.reject(error);
          }
          continue;
        }
        if (!inTransaction) {
          try {
            this.db.exec("BEGIN IMMEDIATE");
            inTransaction = true;
          } catch (error) {
            op.reject(error);
            continue;
          }
        }
        try {
          const value = op.execute();
          done.push({ op, ok: true, value: value instanceof Promise ? await value : value });
        } catch (error) {
          if (!this.db.inTransaction) {
            // SQLite rolled the whole transaction back (I/O error, disk full…): nothing in this group
            // was written. Fail them all; the queue continues in a new transaction.
            inTransaction = false;
            for (const earlier of done) earlier.op.reject(error);
            done = [];
            op.reject(error);
            continue;
          }
          done.push({ op, ok: false, error });
        }
      }
      if (inTransaction) {
        try {
          const commitStarted = performance.now();
          this.db.exec("COMMIT");
          this.lastCommitEnd = performance.now();
          this.commitMs = 0.8 * this.commitMs + 0.2 * (this.lastCommitEnd - commitStarted);
        } catch (error) {
          if (this.db.inTransaction) this.db.exec("ROLLBACK");
          for (const outcome of done) outcome.op.reject(error);
          done = [];
        }
      }
      for (const outcome of done) {
        if (outcome.ok) outcome.op.resolve(outcome.value);
        else outcome.op.reject(outcome.error);
      }
    } catch (error) {
      // Only a failed ROLLBACK gets here; whatever ran in this group is not known to be committed.
      for (const outcome of done) outcome.op.reject(error);
    } finally {
      this.running = false;
      this.nextTurn();
    }
  }

  async close(): Promise<void> {
    while (this.running || this.scheduled || this.offThreadInFlight > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.ingestWriter?.stop();
    await this.checkpointer?.stop();
    this.db.close();
  }
}
