/**
 * Group commit for the webhook hot path. Each verified body waits for a commit before its 200, but
 * bodies that arrive together share one transaction (one fsync), so durability costs microseconds per
 * request instead of a disk flush each. Every delivery is appended as it came, a redelivery of the
 * same bytes too: the processing job tells it apart (a unique index on a random hash here would make
 * each commit write a page per body).
 */
import { randomUUID } from "node:crypto";
import type { ClaimAtInsert, ClaimedJob } from "../../domain/ports/jobs.js";
import type { WebhookEventInput } from "../../domain/ports/store.js";
import type { SqlDriver, SqlExecutor } from "./sql-driver.js";
import { claimedJob } from "./sql-jobs.js";
import { POSTGRES_INGEST_CONNECTIONS, PostgresDriver } from "./postgres-driver.js";
import { SqliteDriver } from "./sqlite-driver.js";

interface Waiting {
  event: WebhookEventInput;
  /** Set when the processing job is to go in claimed: its claim token and lease end. */
  claim: { token: string; lockedUntil: number } | null;
  resolve: (job: ClaimedJob | null) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 512;
const WEBHOOK_JOB_KIND = "webhook.process";
const WEBHOOK_JOB_MAX_ATTEMPTS = 10;

/** The processing job of event `eventId`, inserted as claimed. */
function processingJob(id: number, eventId: number, waiting: Waiting): ClaimedJob {
  const { receivedAt } = waiting.event;
  const job = { kind: WEBHOOK_JOB_KIND, payload: { eventId }, runAt: receivedAt, maxAttempts: WEBHOOK_JOB_MAX_ATTEMPTS };
  return claimedJob({ id, created_at: receivedAt }, job, JSON.stringify(job.payload), WEBHOOK_JOB_MAX_ATTEMPTS, waiting.claim!.token);
}

/**
 * Every delivery is appended, the same bytes twice included: telling a redelivery apart is work for
 * the processing job (process-webhook-event.ts), not for the acknowledgement.
 */
const SQLITE_INSERT_WEBHOOK_EVENT = `INSERT INTO webhook_events (body, body_sha256, received_at) VALUES (?, ?, ?) RETURNING id`;
const SQLITE_INSERT_WEBHOOK_JOB = `INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at, claim_token, locked_until)
  VALUES ('${WEBHOOK_JOB_KIND}', ?, CASE WHEN ? IS NULL THEN 'pending' ELSE 'running' END, ?, CASE WHEN ? IS NULL THEN 0 ELSE 1 END, ?, ?, ?, ?, ?) RETURNING id`;

async function insertBatchSqlite(tx: SqlExecutor, batch: Waiting[]): Promise<Array<ClaimedJob | null>> {
  const claimed: Array<ClaimedJob | null> = [];
  for (const waiting of batch) {
    const { event, claim } = waiting;
    const [row] = await tx.all<{ id: number }>(SQLITE_INSERT_WEBHOOK_EVENT, [event.body, event.bodySha256, event.receivedAt]);
    const eventId = Number(row!.id);
    const token = claim?.token ?? null;
    const values = [JSON.stringify({ eventId }), token, event.receivedAt, token, WEBHOOK_JOB_MAX_ATTEMPTS, event.receivedAt, event.receivedAt, token, claim?.lockedUntil ?? null];
    if (!claim) {
      await tx.run(SQLITE_INSERT_WEBHOOK_JOB, values);
      claimed.push(null);
      continue;
    }
    const [job] = await tx.all<{ id: number }>(SQLITE_INSERT_WEBHOOK_JOB, values);
    claimed.push(processingJob(Number(job!.id), eventId, waiting));
  }
  return claimed;
}

/**
 * The batch insert for `rows` events: a VALUES list of that many rows, the unused ones all NULL and
 * skipped. Bodies travel as parameters of their own: as elements of a text array (unnest) node-pg
 * escaped every character of them, the largest cost of a batch on our side. A few fixed sizes keep the
 * prepared statements few. Event ids are drawn first, so that each job, claimed or not, is written
 * with the claim of its own event and its id can be told apart in what the statement returns.
 */
const POSTGRES_BATCH_SIZES = [4, 16, 64, 256, MAX_BATCH];
const postgresInsertOf = new Map(
  POSTGRES_BATCH_SIZES.map((rows) => [
    rows,
    `WITH incoming AS MATERIALIZED (
       SELECT nextval('webhook_events_id_seq') AS id, body, sha, received_at, token, locked_until
       FROM (VALUES ${Array.from({ length: rows }, (_, i) => (i === 0 ? "(?::text, ?::text, ?::bigint, ?::text, ?::bigint)" : "(?, ?, ?, ?, ?)")).join(", ")})
         AS v (body, sha, received_at, token, locked_until)
       WHERE body IS NOT NULL),
     stored AS (INSERT INTO webhook_events (id, body, body_sha256, received_at) SELECT id, body, sha, received_at FROM incoming),
     queued AS (
       INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at, claim_token, locked_until)
       SELECT '${WEBHOOK_JOB_KIND}', '{"eventId":' || id || '}', CASE WHEN token IS NULL THEN 'pending' ELSE 'running' END, received_at,
         CASE WHEN token IS NULL THEN 0 ELSE 1 END, ${WEBHOOK_JOB_MAX_ATTEMPTS}, received_at, received_at, token, locked_until
       FROM incoming
       RETURNING id, payload, claim_token)
     SELECT id, payload, claim_token FROM queued WHERE claim_token IS NOT NULL`,
  ]),
);

/** One statement: its implicit transaction commits events and their jobs together. */
async function insertBatchPostgres(db: SqlExecutor, batch: Waiting[]): Promise<Array<ClaimedJob | null>> {
  const rows = POSTGRES_BATCH_SIZES.find((size) => size >= batch.length)!;
  const values: Array<string | number | null> = [];
  for (const { event, claim } of batch) values.push(event.body, event.bodySha256, event.receivedAt, claim?.token ?? null, claim?.lockedUntil ?? null);
  for (let i = batch.length; i < rows; i++) values.push(null, null, null, null, null);
  // The claimed jobs only.
  const inserted = await db.all<{ id: number; payload: string; claim_token: string }>(postgresInsertOf.get(rows)!, values);
  const byToken = new Map<string, { id: number; payload: string }>();
  for (const row of inserted) byToken.set(row.claim_token, row);
  return batch.map((waiting) => {
    const row = waiting.claim ? byToken.get(waiting.claim.token) : undefined;
    if (!row) return null;
    return processingJob(Number(row.id), (JSON.parse(row.payload) as { eventId: number }).eventId, waiting);
  });
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

  add(event: WebhookEventInput, claim?: ClaimAtInsert): Promise<ClaimedJob | null> {
    const claimed = claim ? { token: `${claim.workerId}:${randomUUID()}`, lockedUntil: event.receivedAt + claim.leaseMs } : null;
    return new Promise((resolve, reject) => {
      this.queue.push({ event, claim: claimed, resolve, reject });
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
      let claimed: Array<ClaimedJob | null>;
      if (this.driver instanceof SqliteDriver) {
        // Taken when the write starts, not before: everything that arrived until then joins it.
        claimed = await this.driver.urgentTransaction((tx) => insertBatchSqlite(tx, (batch = this.take())));
      } else {
        batch = this.take();
        claimed = await insertBatchPostgres(this.driver instanceof PostgresDriver ? this.driver.ingest : this.driver, batch);
      }
      batch!.forEach((waiting, i) => waiting.resolve(claimed[i] ?? null));
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
