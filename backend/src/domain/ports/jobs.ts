/**
 * Durable jobs: at-least-once, retried with backoff, dead-lettered after the last attempt, and
 * replayable. A lane serialises jobs that must not run concurrently or out of order (one
 * conversation): a job waits for every earlier job of its lane, even one scheduled later, so timers
 * that fire independently must not share a lane. A dedup key merges a pending job with a newer one
 * (debounced replies).
 */
export interface NewJob {
  kind: string;
  payload: unknown;
  tenantId?: string | null;
  lane?: string | null;
  /** While a pending job holds this key, enqueueing the same key moves its run time instead. */
  dedupKey?: string | null;
  runAt: number;
  maxAttempts?: number;
  /** With a dedup key: the latest time a merged job may be pushed to. */
  notAfter?: number | null;
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  tenantId: string | null;
  lane: string | null;
  attempts: number;
  maxAttempts: number;
  claimToken: string;
  createdAt: number;
  /** When it was due: its (last) run time, by the clock of whoever scheduled it. */
  runAt: number;
}

export interface DeadJob {
  id: number;
  kind: string;
  payload: unknown;
  tenantId: string | null;
  lane: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface JobCounts {
  pending: number;
  running: number;
  dead: number;
}

/**
 * Hand-off: the job that is running may take over one follow-up job it queues, so the follow-up runs
 * at once in the same worker instead of waiting for the next claim. The queue inserts it already
 * claimed (running, leased to this worker) only if it could be claimed right now anyway: nothing else
 * is pending or running in its lane and no pending job has its dedup key; otherwise the job is queued
 * as usual. Pass a hand-off only for a job that is due now. A worker that dies before running it
 * leaves a lease that expires, as with any claimed job.
 *
 * Queue a follow-up with a hand-off only in the running job's last transaction: the queue may complete
 * the running job in that same statement (as `completeWithin` would), so work after that transaction
 * would not be retried.
 */
export interface JobHandoff {
  workerId: string;
  leaseMs: number;
  /**
   * The worker's clock, read when used: a follow-up's lease runs from its insert, not from the start
   * of the job that queued it, which may have run for most of a lease.
   */
  now: number;
  /**
   * Set by the queue once it inserted a follow-up as claimed by this worker: at the latest when the
   * transaction commits (a store may write the follow-up together with the commit).
   */
  claimed: ClaimedJob | null;
  /** The job being run, which its use case may complete in its own last transaction (`completeWithin`). */
  running?: ClaimedJob;
  /** Set by `completeWithin`: the job ends with that transaction, and the runner has nothing to settle. */
  completedInTransaction?: boolean;
  /**
   * Left by the running job for the follow-up in `claimed`: what it already holds (the conversation it
   * just wrote, the message it queued) that the follow-up would otherwise read again. Set it only from
   * a committed transaction's results. The follow-up checks that it is meant for it before using it.
   */
  carry?: unknown;
  /** What the job that handed this one over left for it (its `carry`); unset for a job that was claimed. */
  carried?: unknown;
}

/**
 * Claimed at insert: a job queued by a write outside any running job (a webhook body's processing)
 * goes in already running and leased to `workerId`, for a worker of this process that holds a free
 * slot for it (ReservedJobSlot). It then starts once the insert commits, without a claim's round
 * trip and the wait for the next claim. A worker that dies first leaves a lease that expires.
 */
export interface ClaimAtInsert {
  workerId: string;
  leaseMs: number;
}

/** A worker slot held for a job about to be inserted as claimed by this worker (ClaimAtInsert). */
export interface ReservedJobSlot extends ClaimAtInsert {
  /** The insert committed with the job claimed: run it in this slot. */
  run(job: ClaimedJob): void;
  /** Nothing was claimed after all (the insert failed): free the slot. */
  release(): void;
}

/**
 * Tells the job runners of other processes sharing the store that work was queued, so that they
 * claim it now rather than at their next poll. Polling stays the safety net: a wake-up may be lost.
 */
export interface JobWakeups {
  /** Work was queued here: wake the other processes. Never throws; calls close together may share one wake-up. */
  announce(): void;
  /** Calls `wake` whenever another process announced work; resolves to a function that stops listening. */
  listen(wake: () => void): Promise<() => Promise<void>>;
}

/** The job runner of this process, as seen by a writer that queues work for it. */
export interface LocalWorker {
  /**
   * A free slot, held until it is run or released; null when none is free, when jobs already in the
   * queue may be waiting for one (they go first), or when the runner is stopped.
   */
  reserveSlot(): ReservedJobSlot | null;
}

export interface JobQueue {
  enqueue(job: NewJob, handoff?: JobHandoff): Promise<void>;
  /**
   * Inside a transaction: true when no job of `lane` is pending or running, and then none can be queued
   * until this transaction ends (on PostgreSQL it holds the lane's lock, as queueing a lane job does;
   * the embedded engine has one writer). Work done in the transaction thus comes before every later
   * job of the lane, as if it had run as the lane's next job.
   */
  holdIdleLane(lane: string): Promise<boolean>;
  claim(options: { limit: number; now: number; leaseMs: number; workerId: string }): Promise<ClaimedJob[]>;
  complete(job: ClaimedJob): Promise<void>;
  /**
   * Inside a transaction: the running job is done when this transaction commits, saving a commit of its
   * own. Call it last, from a handler that reports success once the transaction has committed.
   */
  completeWithin(handoff: JobHandoff | undefined): Promise<void>;
  /**
   * Retry at `retryAt`, or dead-letter when attempts are spent or `retryAt` is null. `stale`: the
   * lease had expired and another worker owns the job now, so nothing changed.
   */
  fail(job: ClaimedJob, error: string, retryAt: number | null, now: number): Promise<"retrying" | "dead" | "stale">;
  /** Run again later without spending an attempt (e.g. sending is paused). */
  postpone(job: ClaimedJob, runAt: number): Promise<void>;
  /** Returns jobs whose worker died (lease expired) to the queue. */
  reclaimExpired(now: number): Promise<number>;
  /**
   * A live worker's heartbeat: the running jobs claimed under these tokens stay leased until
   * `lockedUntil`. Returns how many were found (a job reclaimed meanwhile is not renewed).
   */
  renewLeases(claimTokens: readonly string[], lockedUntil: number): Promise<number>;
  listDead(limit: number): Promise<DeadJob[]>;
  replayDead(id: number, now: number): Promise<boolean>;
  counts(): Promise<JobCounts>;
  /** Jobs running, or pending and due at `now`. */
  countDue(now: number): Promise<number>;
  /** When the next pending job falls due after `now` (a debounced reply, a retry), or null when none waits. */
  nextRunAt(now: number): Promise<number | null>;
}
