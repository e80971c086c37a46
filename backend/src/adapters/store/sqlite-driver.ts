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
 * Urgent transactions (the webhook ingest) go ahead of the other queued operations: the webhook's
 * acknowledgement waits for it, and behind hundreds of jobs' writes on a busy process it waited seconds
 * (Meta then retries, adding load). It writes only new rows nobody waits on, so no caller can tell the
 * difference, except in time. (It used to run on a worker thread with a connection of its own, so that
 * its COMMIT would not block the event loop. Once the webhook route had become cheaper, committing here
 * gave more webhooks a second, in eight interleaved pairs of eight: the blocking COMMIT lets more
 * requests gather for the next group, and no thread has to be woken per batch.)
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SqliteCheckpointer, WAL_CATCH_UP_PAGES } from "./sqlite-checkpointer.js";
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
  /** Queued ahead of every operation that is not urgent itself. */
  urgent?: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { op: Operation; ok: true; value: unknown } | { op: Operation; ok: false; error: unknown };

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

  constructor(file: string) {
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
    return this.queueTransaction(work, false);
  }

  /** A transaction queued ahead of every operation that is not urgent too (see the header). */
  urgentTransaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.queueTransaction(work, true);
  }

  private queueTransaction<T>(work: (tx: SqlExecutor) => Promise<T>, urgent: boolean): Promise<T> {
    const tx = new TransactionView(this.executor);
    // An operation settles only after its group's COMMIT (see runGroup), so the effects run after it too.
    return (this.enqueue(() => this.inSavepoint(work, tx), false, urgent) as Promise<T>).then((result) => {
      tx.committed();
      return result;
    });
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

  private enqueue(execute: () => unknown, readOnly: boolean, urgent = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const op: Operation = { execute, readOnly, urgent, resolve, reject };
      const firstOther = urgent ? this.queue.findIndex((queued) => !queued.urgent) : -1;
      if (firstOther >= 0) this.queue.splice(firstOther, 0, op);
      else this.queue.push(op);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running || this.queue.length === 0) return;
    this.scheduled = true;
    const start = () => {
      this.scheduled = false;
      void this.runGroup();
    };
    // At the earliest, the end of this event-loop turn: everything queued by the I/O handled in this
    // turn commits together. Later if the previous commit was recent (pacing).
    const wait = this.lastCommitEnd + Math.min(2 * this.commitMs, MAX_COMMIT_GAP_MS) - performance.now();
    if (wait >= 1) setTimeout(start, wait);
    else setImmediate(start);
  }

  private nextTurn(): void {
    if (this.queue.length > 0) this.schedule();
    else if (!this.running) for (const wake of this.idle.splice(0)) wake();
  }

  private async runGroup(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const started = performance.now();
    let done: Outcome[] = [];
    let inTransaction = false;
    try {
      let count = 0;
      while (this.queue.length > 0 && count < MAX_GROUP_OPS && performance.now() - started < MAX_GROUP_MS) {
        const op = this.queue.shift()!;
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
    while (this.running || this.scheduled || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.checkpointer?.stop();
    this.db.close();
  }
}
