/**
 * The job queue as a table in the same database as the data, so a use case can change data and queue
 * its follow-up work in one transaction (a transactional outbox). Workers claim with
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL; the embedded engine has one writer, so a plain UPDATE is atomic.
 *
 * Lanes: a job is claimable only when no other job of its lane is running and no earlier one is
 * pending. On PostgreSQL, jobs of one lane are inserted under a transaction-scoped advisory lock on the
 * lane, so their ids follow commit order and "earlier" means what it says.
 *
 * Dedup keys: only a job that has not started yet holds its key, and a claim drops it. A job that
 * returns to pending (retry, postpone, expired lease, replay) would otherwise collide with the newer
 * job that took the key meanwhile, and that unique violation would stop reclaimExpired for every job.
 */
import { randomUUID } from "node:crypto";
import type { ClaimedJob, DeadJob, JobCounts, JobHandoff, JobQueue, NewJob } from "../../domain/ports/jobs.js";
import { isAnyOf, type SqlExecutor } from "./sql-driver.js";

interface JobRow {
  id: number;
  kind: string;
  payload: string;
  tenant_id: string | null;
  lane: string | null;
  attempts: number;
  max_attempts: number;
  claim_token: string | null;
  last_error: string | null;
  run_at: number;
  created_at: number;
  updated_at: number;
}

const DEFAULT_MAX_ATTEMPTS = 10;
const LAST_ATTEMPT_STOPPED = "worker stopped mid-job on the last attempt";

const ELIGIBLE = `j.state = 'pending' AND j.run_at <= ?
  AND (j.lane IS NULL OR NOT EXISTS (
    SELECT 1 FROM jobs k WHERE k.lane = j.lane AND k.id <> j.id
      AND (k.state = 'running' OR (k.state = 'pending' AND k.id < j.id))))`;

interface PendingCompletion {
  job: ClaimedJob;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A job a claim could take right now: its lane idle, no pending job holding its dedup key (binds lane, dedup key). */
const CLAIMABLE_NOW = `NOT EXISTS (SELECT 1 FROM jobs k WHERE k.lane = ? AND k.state IN ('pending', 'running'))
  AND NOT EXISTS (SELECT 1 FROM jobs d WHERE d.dedup_key = ? AND d.state = 'pending')`;

/** A pending job queued with the dedup key of another pending one merges into it: the earlier run time (up to not_after), the newer payload. */
const mergeIntoPending = (dialect: SqlExecutor["dialect"]): string =>
  ` ON CONFLICT (dedup_key) WHERE state = 'pending' AND dedup_key IS NOT NULL DO UPDATE SET
    run_at = ${dialect === "sqlite" ? "MIN" : "LEAST"}(excluded.run_at, COALESCE(jobs.not_after, excluded.run_at)),
    payload = excluded.payload, updated_at = excluded.updated_at`;

/** A job an insert put in as running (a hand-off, or claimed at insert), as a claim would have returned it. */
export function claimedJob(row: { id: number; created_at: number }, job: NewJob, payloadJson: string, maxAttempts: number, claimToken: string): ClaimedJob {
  return {
    id: Number(row.id),
    kind: job.kind,
    // As a claim reads it back: a copy, in its JSON form.
    payload: JSON.parse(payloadJson) as unknown,
    tenantId: job.tenantId ?? null,
    lane: job.lane ?? null,
    attempts: 1,
    maxAttempts,
    claimToken,
    createdAt: Number(row.created_at),
    runAt: job.runAt,
  };
}

/**
 * The lanes held by `holdIdleLane`, per transaction. Members of a PostgreSQL group commit share one
 * transaction, where the lane's advisory lock, taken again by the same session, does not keep a second
 * member out (see postgres-group-commit.ts).
 */
const heldLanes = new WeakMap<object, Map<string, SqlJobQueue>>();

export class SqlJobQueue implements JobQueue {
  private completions: PendingCompletion[] = [];
  private completionsScheduled = false;
  /** A follow-up queued with a hand-off, not written yet (see `inTransaction`). */
  private heldFollowUp: { job: NewJob; handoff: JobHandoff } | null = null;
  /** completeWithin was called: the transaction's last job statement is written or kept for COMMIT. */
  private completing = false;
  /**
   * This transaction took its hand-off's follow-up, or completed its running job. The hand-off itself
   * says so only once the transaction has committed (afterCommit): a driver may run the work again.
   */
  private handedOff = false;
  private completedRunning = false;

  /**
   * `batchCompletions` (PostgreSQL, outside a transaction): jobs finished in the same event-loop turn
   * are deleted by one statement, so they share one commit (one WAL flush) instead of one each. Each
   * `complete` still resolves only after that commit. (The SQLite driver groups commits by itself.)
   *
   * `inTransaction`: the queue of one transaction, whose owner calls `writeHeldFollowUp` before it
   * commits. A follow-up queued with a hand-off is then held back and written by `completeWithin`,
   * usually the transaction's last statement, in the statement that completes the running job, with
   * COMMIT in the same round trip (PostgreSQL). Any other job queued meanwhile writes it first, so
   * jobs still enter their lanes in the order they were queued.
   *
   * `outsideGroups` (PostgreSQL): where lease renewal and the reclaiming of expired leases run, each as
   * a statement of its own (see PostgresDriver.outsideGroups).
   */
  constructor(
    private readonly db: SqlExecutor,
    private readonly options: { batchCompletions?: boolean; inTransaction?: boolean; outsideGroups?: SqlExecutor } = {},
  ) {}

  async enqueue(job: NewJob, handoff?: JobHandoff): Promise<void> {
    if (this.completing) throw new Error("a job queued after completeWithin, which must come last in its transaction");
    if (handoff && this.mayHandOff(handoff) && !this.heldFollowUp && this.options.inTransaction) {
      this.heldFollowUp = { job, handoff };
      return;
    }
    await this.writeHeldFollowUp();
    if (handoff && this.mayHandOff(handoff) && (await this.insertClaimed(job, handoff))) return;
    await this.insertPending(job);
  }

  /** A hand-off takes one follow-up: none taken yet, by an earlier transaction or by this one. */
  private mayHandOff(handoff: JobHandoff): boolean {
    return !handoff.claimed && !this.handedOff;
  }

  private handedOver(handoff: JobHandoff, claimed: ClaimedJob): void {
    this.handedOff = true;
    this.db.afterCommit(() => {
      handoff.claimed = claimed;
    });
  }

  private completedWithin(handoff: JobHandoff): void {
    this.completedRunning = true;
    this.db.afterCommit(() => {
      handoff.completedInTransaction = true;
    });
  }

  /** Writes the follow-up held for `completeWithin`, if any: as claimed where it can be, else pending. */
  async writeHeldFollowUp(): Promise<void> {
    const held = this.heldFollowUp;
    if (!held) return;
    this.heldFollowUp = null;
    if (!(await this.insertClaimed(held.job, held.handoff))) await this.insertPending(held.job);
  }

  private async insertPending(job: NewJob): Promise<void> {
    const now = job.runAt;
    const values = [
      job.kind,
      job.tenantId ?? null,
      job.lane ?? null,
      job.dedupKey ?? null,
      JSON.stringify(job.payload ?? null),
      job.runAt,
      job.notAfter ?? null,
      job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      now,
      now,
    ];
    const columns = `kind, tenant_id, lane, dedup_key, payload, state, run_at, not_after, attempts, max_attempts, created_at, updated_at`;
    const onDedup = job.dedupKey ? mergeIntoPending(this.db.dialect) : "";
    if (this.db.dialect === "postgres" && job.lane) {
      await this.db.run(
        `WITH lane_lock AS (SELECT pg_advisory_xact_lock(hashtext(?)))
         INSERT INTO jobs (${columns})
         SELECT ?, ?, ?, ?, ?, 'pending', ?, ?, 0, ?, ?, ? FROM lane_lock${onDedup}`,
        [job.lane, ...values],
      );
      return;
    }
    await this.db.run(`INSERT INTO jobs (${columns}) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, 0, ?, ?, ?)${onDedup}`, values);
  }

  /**
   * The hand-off insert: the job goes in as running and leased to `handoff.workerId`, but only where a
   * claim could take it now (its lane idle, its dedup key free). On PostgreSQL the lane's advisory lock
   * is taken first, in its own statement, so the check below sees every job of the lane committed
   * before the lock was granted. Must run inside a transaction. (A follow-up written by completeWithin
   * goes in with the running job's completion instead: completeAndHandOff.)
   */
  private async insertClaimed(job: NewJob, handoff: JobHandoff): Promise<boolean> {
    const token = `${handoff.workerId}:${randomUUID()}`;
    const now = handoff.now;
    const payload = job.payload ?? null;
    const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    // Sent together with the insert (PostgreSQL pipelines them): still two statements, so the insert's
    // snapshot is taken after the lock is granted.
    const laneLocked = this.db.dialect === "postgres" && job.lane ? this.db.all(`SELECT pg_advisory_xact_lock(hashtext(?))`, [job.lane]) : null;
    const inserted = this.db.all<{ id: number; created_at: number }>(
      `INSERT INTO jobs (kind, tenant_id, lane, dedup_key, payload, state, run_at, not_after, locked_until, claim_token, attempts, max_attempts, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, 1, ?, ?, ?
       WHERE ${CLAIMABLE_NOW}
       RETURNING id, created_at`,
      [
        job.kind,
        job.tenantId ?? null,
        job.lane ?? null,
        job.dedupKey ?? null,
        JSON.stringify(payload),
        job.runAt,
        job.notAfter ?? null,
        now + handoff.leaseMs,
        token,
        maxAttempts,
        now,
        now,
        job.lane ?? null,
        job.dedupKey ?? null,
      ],
    );
    const [, [row]] = await Promise.all([laneLocked, inserted]);
    if (!row) return false;
    this.handedOver(handoff, claimedJob(row, job, JSON.stringify(payload), maxAttempts, token));
    return true;
  }

  async holdIdleLane(lane: string): Promise<boolean> {
    let holders = heldLanes.get(this.db.transactionKey);
    if (!holders) heldLanes.set(this.db.transactionKey, (holders = new Map()));
    const holder = holders.get(lane);
    // Another member of this shared transaction works in the lane: to it, as to a job of the lane, it is busy.
    if (holder !== undefined && holder !== this) return false;
    holders.set(lane, this);
    // Sent together (PostgreSQL pipelines them), yet two statements: the check's snapshot is taken
    // after the lock is granted, so it sees every job of the lane committed before.
    const locked = this.db.dialect === "postgres" ? this.db.all(`SELECT pg_advisory_xact_lock(hashtext(?))`, [lane]) : null;
    const busy = this.db.all(`SELECT 1 AS busy FROM jobs WHERE lane = ? AND state IN ('pending', 'running') LIMIT 1`, [lane]);
    const [, rows] = await Promise.all([locked, busy]);
    return rows.length === 0;
  }

  async claim(options: { limit: number; now: number; leaseMs: number; workerId: string }): Promise<ClaimedJob[]> {
    const token = `${options.workerId}:${randomUUID()}`;
    const lockedUntil = options.now + options.leaseMs;
    const rows =
      this.db.dialect === "postgres"
        ? await this.db.all<JobRow>(
            `WITH next AS (SELECT j.id FROM jobs j WHERE ${ELIGIBLE} ORDER BY j.run_at, j.id LIMIT ? FOR UPDATE SKIP LOCKED)
             UPDATE jobs SET state = 'running', locked_until = ?, claim_token = ?, attempts = attempts + 1, dedup_key = NULL, updated_at = ?
             FROM next WHERE jobs.id = next.id RETURNING jobs.*`,
            [options.now, options.limit, lockedUntil, token, options.now],
          )
        : await this.db.all<JobRow>(
            `UPDATE jobs SET state = 'running', locked_until = ?, claim_token = ?, attempts = attempts + 1, dedup_key = NULL, updated_at = ?
             WHERE id IN (SELECT j.id FROM jobs j WHERE ${ELIGIBLE} ORDER BY j.run_at, j.id LIMIT ?) RETURNING *`,
            [lockedUntil, token, options.now, options.now, options.limit],
          );
    return rows
      .map((row) => ({
        id: Number(row.id),
        kind: row.kind,
        payload: JSON.parse(row.payload) as unknown,
        tenantId: row.tenant_id,
        lane: row.lane,
        attempts: Number(row.attempts),
        maxAttempts: Number(row.max_attempts),
        claimToken: token,
        createdAt: Number(row.created_at),
        runAt: Number(row.run_at),
      }))
      .sort((a, b) => a.id - b.id);
  }

  async complete(job: ClaimedJob): Promise<void> {
    if (!this.options.batchCompletions) {
      await this.db.run(`DELETE FROM jobs WHERE id = ? AND claim_token = ?`, [job.id, job.claimToken]);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.completions.push({ job, resolve, reject });
      if (this.completionsScheduled) return;
      this.completionsScheduled = true;
      setImmediate(() => void this.flushCompletions());
    });
  }

  async completeWithin(handoff: JobHandoff | undefined): Promise<void> {
    this.completing = this.options.inTransaction === true;
    const held = this.heldFollowUp;
    const completed = this.completedRunning || handoff?.completedInTransaction === true;
    if (held && held.handoff === handoff && handoff.running && !completed && this.db.dialect === "postgres") {
      this.heldFollowUp = null;
      await this.completeAndHandOff(handoff.running, held.job, handoff);
      return;
    }
    await this.writeHeldFollowUp();
    if (!handoff?.running || completed) return;
    await this.db.atCommit(`DELETE FROM jobs WHERE id = ? AND claim_token = ?`, [handoff.running.id, handoff.running.claimToken]);
    this.completedWithin(handoff);
  }

  /**
   * PostgreSQL, with COMMIT: completes the running job and queues its follow-up, as claimed by this
   * worker where a claim could take it now (see insertClaimed), else pending (and merged into a
   * pending job with its dedup key). The lane's lock goes just before, in the same write.
   */
  private async completeAndHandOff(running: ClaimedJob, job: NewJob, handoff: JobHandoff): Promise<void> {
    const token = `${handoff.workerId}:${randomUUID()}`;
    const now = handoff.now;
    const payload = JSON.stringify(job.payload ?? null);
    const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (job.lane) await this.db.atCommit(`SELECT pg_advisory_xact_lock(hashtext(?))`, [job.lane]);
    const columns = `kind, tenant_id, lane, dedup_key, payload, run_at, not_after, max_attempts, created_at, updated_at`;
    const described = [job.kind, job.tenantId ?? null, job.lane ?? null, job.dedupKey ?? null, payload, job.runAt, job.notAfter ?? null, maxAttempts];
    await this.db.atCommit<{ id: number; created_at: number }>(
      `WITH completed AS (DELETE FROM jobs WHERE id = ? AND claim_token = ?),
       free AS (SELECT ${CLAIMABLE_NOW} AS claimable),
       claimed AS (
         INSERT INTO jobs (${columns}, state, locked_until, claim_token, attempts)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, 1 FROM free WHERE claimable
         RETURNING id, created_at),
       queued AS (
         INSERT INTO jobs (${columns}, state, attempts)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0 FROM free WHERE NOT claimable${mergeIntoPending("postgres")})
       SELECT id, created_at FROM claimed`,
      [
        running.id,
        running.claimToken,
        job.lane ?? null,
        job.dedupKey ?? null,
        ...described,
        now,
        now,
        now + handoff.leaseMs,
        token,
        ...described,
        job.runAt,
        job.runAt,
      ],
      ([row]) => {
        if (row) this.handedOver(handoff, claimedJob(row, job, payload, maxAttempts, token));
      },
    );
    this.completedWithin(handoff);
  }

  private async flushCompletions(): Promise<void> {
    this.completionsScheduled = false;
    const batch = this.completions.splice(0);
    if (batch.length === 0) return;
    try {
      await this.db.run(
        `DELETE FROM jobs USING unnest(?::bigint[], ?::text[]) AS done(id, token) WHERE jobs.id = done.id AND jobs.claim_token = done.token`,
        [batch.map((c) => c.job.id), batch.map((c) => c.job.claimToken)],
      );
      for (const completion of batch) completion.resolve();
    } catch (error) {
      for (const completion of batch) completion.reject(error);
    }
  }

  async fail(job: ClaimedJob, error: string, retryAt: number | null, now: number): Promise<"retrying" | "dead" | "stale"> {
    const dead = retryAt === null || job.attempts >= job.maxAttempts;
    const { changes } = await this.db.run(
      `UPDATE jobs SET state = ?, run_at = ?, last_error = ?, claim_token = NULL, locked_until = NULL, updated_at = ?
       WHERE id = ? AND claim_token = ?`,
      [dead ? "dead" : "pending", retryAt ?? now, error.slice(0, 2000), now, job.id, job.claimToken],
    );
    if (changes === 0) return "stale";
    return dead ? "dead" : "retrying";
  }

  async postpone(job: ClaimedJob, runAt: number): Promise<void> {
    await this.db.run(
      `UPDATE jobs SET state = 'pending', run_at = ?, attempts = attempts - 1, claim_token = NULL, locked_until = NULL, updated_at = ?
       WHERE id = ? AND claim_token = ?`,
      [runAt, runAt, job.id, job.claimToken],
    );
  }

  /**
   * PostgreSQL: a row another transaction holds is skipped, not waited for. That transaction is
   * settling or changing the job right now (completing it, as a rule), and a job still held after it
   * is renewed by the next beat, two of which fit in a lease. Waiting instead made the renewal a party
   * to deadlocks with the transactions completing those jobs, each costing a second (PostgreSQL's
   * deadlock_timeout) of stalled work.
   */
  async renewLeases(claimTokens: readonly string[], lockedUntil: number): Promise<number> {
    if (claimTokens.length === 0) return 0;
    const db = this.options.outsideGroups ?? this.db;
    const renewed =
      db.dialect === "postgres"
        ? await db.run(
            `UPDATE jobs SET locked_until = ?
             FROM (SELECT id FROM jobs WHERE state = 'running' AND claim_token = ANY(?) FOR UPDATE SKIP LOCKED) held
             WHERE jobs.id = held.id`,
            [lockedUntil, claimTokens],
          )
        : await db.run(`UPDATE jobs SET locked_until = ? WHERE state = 'running' AND ${isAnyOf(db, "claim_token")}`, [lockedUntil, claimTokens]);
    return renewed.changes;
  }

  /**
   * PostgreSQL: like renewLeases, one statement outside group commits that skips rows another
   * transaction holds. Such a row belongs to a job being settled right now, most often by the worker
   * whose lease just ran out; if it is still running and expired once that transaction ends, the next
   * reclaim takes it. Waiting would stall every member of a group behind that transaction, or deadlock
   * with it.
   */
  async reclaimExpired(now: number): Promise<number> {
    const db = this.options.outsideGroups ?? this.db;
    if (db.dialect === "postgres") {
      const [row] = await db.all<{ reclaimed: number }>(
        `WITH expired AS (SELECT id FROM jobs WHERE state = 'running' AND locked_until <= ? FOR UPDATE SKIP LOCKED),
         dead AS (
           UPDATE jobs SET state = 'dead', last_error = '${LAST_ATTEMPT_STOPPED}', claim_token = NULL, updated_at = ?
           FROM expired WHERE jobs.id = expired.id AND jobs.attempts >= jobs.max_attempts RETURNING jobs.id),
         back AS (
           UPDATE jobs SET state = 'pending', run_at = ?, claim_token = NULL, locked_until = NULL, updated_at = ?
           FROM expired WHERE jobs.id = expired.id AND jobs.attempts < jobs.max_attempts RETURNING jobs.id)
         SELECT (SELECT COUNT(*) FROM dead) + (SELECT COUNT(*) FROM back) AS reclaimed`,
        [now, now, now, now],
      );
      return Number(row?.reclaimed ?? 0);
    }
    const dead = await db.run(
      `UPDATE jobs SET state = 'dead', last_error = '${LAST_ATTEMPT_STOPPED}', claim_token = NULL, updated_at = ?
       WHERE state = 'running' AND locked_until <= ? AND attempts >= max_attempts`,
      [now, now],
    );
    const back = await db.run(
      `UPDATE jobs SET state = 'pending', run_at = ?, claim_token = NULL, locked_until = NULL, updated_at = ?
       WHERE state = 'running' AND locked_until <= ?`,
      [now, now, now],
    );
    return dead.changes + back.changes;
  }

  async listDead(limit: number): Promise<DeadJob[]> {
    const rows = await this.db.all<JobRow>(`SELECT * FROM jobs WHERE state = 'dead' ORDER BY id DESC LIMIT ?`, [limit]);
    return rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      payload: JSON.parse(row.payload) as unknown,
      tenantId: row.tenant_id,
      lane: row.lane,
      attempts: Number(row.attempts),
      lastError: row.last_error,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    }));
  }

  async replayDead(id: number, now: number): Promise<boolean> {
    const result = await this.db.run(
      `UPDATE jobs SET state = 'pending', attempts = 0, run_at = ?, last_error = NULL, updated_at = ? WHERE id = ? AND state = 'dead'`,
      [now, now, id],
    );
    return result.changes === 1;
  }

  async counts(): Promise<JobCounts> {
    const rows = await this.db.all<{ state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM jobs GROUP BY state`);
    const counts: JobCounts = { pending: 0, running: 0, dead: 0 };
    for (const row of rows) if (row.state in counts) counts[row.state as keyof JobCounts] = Number(row.n);
    return counts;
  }

  async countDue(now: number): Promise<number> {
    const [row] = await this.db.all<{ n: number }>(
      `SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' OR (state = 'pending' AND run_at <= ?)`,
      [now],
    );
    return Number(row?.n ?? 0);
  }

  async nextRunAt(now: number): Promise<number | null> {
    const [row] = await this.db.all<{ at: number | string | null }>(`SELECT MIN(run_at) AS at FROM jobs WHERE state = 'pending' AND run_at > ?`, [now]);
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }
}
