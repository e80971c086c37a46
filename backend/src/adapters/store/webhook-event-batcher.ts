/**
 * Group commit for the webhook hot path. Each verified body waits for a commit before its 200, but
 * bodies that arrive together share one transaction (one fsync), so durability costs microseconds per
 * request instead of a disk flush each. Every delivery is appended as it came, a redelivery of the
 * same bytes too: the processing job tells it apart (a unique index on a random hash here would make
 * each commit write a page per body).
 */
import type { WebhookEventInput } from "../../domain/ports/store.js";
import type { SqlDriver, SqlExecutor } from "./sql-driver.js";
import { POSTGRES_INGEST_CONNECTIONS, PostgresDriver } from "./postgres-driver.js";
import { SqliteDriver } from "./sqlite-driver.js";

interface Waiting {
  event: WebhookEventInput;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 512;
const WEBHOOK_JOB_MAX_ATTEMPTS = 10;

/**
 * Every delivery is appended, the same bytes twice included: telling a redelivery apart is work for
 * the processing job (process-webhook-event.ts), not for the acknowledgement.
 */
const SQLITE_INSERT_WEBHOOK_EVENT = `INSERT INTO webhook_events (body, body_sha256, received_at) VALUES (?, ?, ?) RETURNING id`;
const SQLITE_INSERT_WEBHOOK_JOB = `INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at) VALUES ('webhook.process', ?, 'pending', ?, 0, ?, ?, ?)`;

async function insertBatchSqlite(tx: SqlExecutor, events: WebhookEventInput[]): Promise<void> {
  for (const event of events) {
    const [row] = await tx.all<{ id: number }>(SQLITE_INSERT_WEBHOOK_EVENT, [event.body, event.bodySha256, event.receivedAt]);
    await tx.run(SQLITE_INSERT_WEBHOOK_JOB, [JSON.stringify({ eventId: Number(row!.id) }), event.receivedAt, WEBHOOK_JOB_MAX_ATTEMPTS, event.receivedAt, event.receivedAt]);
  }
}

/**
 * The batch insert for `rows` events: a VALUES list of that many rows, the unused ones all NULL and
 * skipped. Bodies travel as parameters of their own: as elements of a text array (unnest) node-pg
 * escaped every character of them, the largest cost of a batch on our side. A few fixed sizes keep the
 * prepared statements few.
 */
const POSTGRES_BATCH_SIZES = [4, 16, 64, 256, MAX_BATCH];
const postgresInsertOf = new Map(
  POSTGRES_BATCH_SIZES.map((rows) => [
    rows,
    `WITH stored AS (
       INSERT INTO webhook_events (body, body_sha256, received_at)
       SELECT body, sha, received_at FROM (VALUES ${Array.from({ length: rows }, (_, i) => (i === 0 ? "(?::text, ?::text, ?::bigint)" : "(?, ?, ?)")).join(", ")}) AS incoming (body, sha, received_at)
       WHERE body IS NOT NULL
       RETURNING id, received_at)
     INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at)
     SELECT 'webhook.process', '{"eventId":' || id || '}', 'pending', received_at, 0, ${WEBHOOK_JOB_MAX_ATTEMPTS}, received_at, received_at FROM stored`,
  ]),
);

/** One statement: its implicit transaction commits events and their jobs together. */
async function insertBatchPostgres(db: SqlExecutor, events: WebhookEventInput[]): Promise<void> {
  const rows = POSTGRES_BATCH_SIZES.find((size) => size >= events.length)!;
  const values: Array<string | number | null> = [];
  for (const event of events) values.push(event.body, event.bodySha256, event.receivedAt);
  for (let i = events.length; i < rows; i++) values.push(null, null, null);
  await db.run(postgresInsertOf.get(rows)!, values);
}

export class WebhookEventBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly driver: SqlDriver) {}

  private maxInFlight(): number {
    // SQLite has one writer. PostgreSQL overlaps two commits to hide their fsync latency; with four,
    // batches were half as large, and every write to the server costs a wake-up on each side (measured:
    // PostgreSQL's CPU per webhook a quarter lower with fewer batches in flight, and two kept the rate
    // best).
    return this.driver.dialect === "sqlite" ? 1 : POSTGRES_INGEST_CONNECTIONS;
  }

  add(event: WebhookEventInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight() || this.queue.length === 0) return;
    this.scheduled = true;
    if (this.driver.dialect === "sqlite") {
      // The SQLite driver already defers its work to the end of the turn and commits everything queued
      // by then in one transaction; the batch is taken when that transaction runs.
      void this.flush();
      return;
    }
    setImmediate(() => void this.flush());
  }

  private take(): Waiting[] {
    this.scheduled = false;
    return this.queue.splice(0, MAX_BATCH);
  }

  private async flush(): Promise<void> {
    this.inFlight++;
    let batch: Waiting[] | null = null;
    try {
      // Taken when the write starts, not before: everything that arrived until then joins it.
      const takeEvents = () => {
        batch = this.take();
        return batch.map((w) => w.event);
      };
      if (this.driver instanceof SqliteDriver) {
        await this.driver.urgentTransaction((tx) => insertBatchSqlite(tx, takeEvents()));
      } else {
        batch = this.take();
        await insertBatchPostgres(this.driver instanceof PostgresDriver ? this.driver.ingest : this.driver, batch.map((w) => w.event));
      }
      for (const waiting of batch!) waiting.resolve();
    } catch (error) {
      // If the transaction failed before it took its batch (BEGIN refused), the waiting bodies fail with it.
      for (const waiting of batch ?? this.take()) waiting.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
      if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /** Resolves when every body handed in so far has been committed or refused. */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
