/**
 * Group commit for the webhook hot path. Each verified body waits for a commit before its 200, but
 * bodies that arrive together share one transaction (one fsync), so durability costs microseconds per
 * request instead of a disk flush each. A body Meta sends twice (same bytes) is stored once.
 */
import type { WebhookEventInput } from "../../domain/ports/store.js";
import type { SqlDriver, SqlExecutor } from "./sql-driver.js";

interface Waiting {
  event: WebhookEventInput;
  resolve: (result: { duplicate: boolean }) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 512;
const JOB_MAX_ATTEMPTS = 10;

async function insertBatchSqlite(tx: SqlExecutor, events: WebhookEventInput[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const event of events) {
    const rows = await tx.all<{ id: number }>(
      `INSERT INTO webhook_events (body, body_sha256, received_at) VALUES (?, ?, ?) ON CONFLICT (body_sha256) DO NOTHING RETURNING id`,
      [event.body, event.bodySha256, event.receivedAt],
    );
    const row = rows[0];
    if (!row) continue;
    inserted.add(event.bodySha256);
    await tx.run(
      `INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at) VALUES ('webhook.process', ?, 'pending', ?, 0, ?, ?, ?)`,
      [JSON.stringify({ eventId: Number(row.id) }), event.receivedAt, JOB_MAX_ATTEMPTS, event.receivedAt, event.receivedAt],
    );
  }
  return inserted;
}

/** One statement: its implicit transaction commits events and their jobs together. */
async function insertBatchPostgres(db: SqlExecutor, events: WebhookEventInput[]): Promise<Set<string>> {
  const rows = await db.all<{ body_sha256: string }>(
    `WITH incoming AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[]) AS t(body, sha, received_at)),
     stored AS (
       INSERT INTO webhook_events (body, body_sha256, received_at) SELECT body, sha, received_at FROM incoming
       ON CONFLICT (body_sha256) DO NOTHING RETURNING id, body_sha256, received_at),
     queued AS (
       INSERT INTO jobs (kind, payload, state, run_at, attempts, max_attempts, created_at, updated_at)
       SELECT 'webhook.process', '{"eventId":' || id || '}', 'pending', received_at, 0, ?, received_at, received_at FROM stored)
     SELECT body_sha256 FROM stored`,
    [events.map((e) => e.body), events.map((e) => e.bodySha256), events.map((e) => e.receivedAt), JOB_MAX_ATTEMPTS],
  );
  return new Set(rows.map((row) => row.body_sha256));
}

export class WebhookEventBatcher {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly driver: SqlDriver) {
    // SQLite has one writer; PostgreSQL overlaps a few commits to hide their fsync latency.
    this.maxInFlight = driver.dialect === "sqlite" ? 1 : 4;
  }

  add(event: WebhookEventInput): Promise<{ duplicate: boolean }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
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
      let inserted: Set<string>;
      if (this.driver.dialect === "sqlite") {
        inserted = await this.driver.transaction((tx) => {
          batch = this.take();
          return insertBatchSqlite(tx, batch.map((w) => w.event));
        });
      } else {
        batch = this.take();
        inserted = await insertBatchPostgres(this.driver, batch.map((w) => w.event));
      }
      const seen = new Set<string>();
      for (const waiting of batch!) {
        // Two identical bodies in one batch: the first one stored it, the second is the duplicate.
        const sha = waiting.event.bodySha256;
        const firstHere = inserted.has(sha) && !seen.has(sha);
        seen.add(sha);
        waiting.resolve({ duplicate: !firstHere });
      }
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
