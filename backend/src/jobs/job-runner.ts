/**
 * Runs durable jobs: claims what is due, runs a bounded number at once, and settles each one
 * (done, retry later, postpone, dead-letter). A worker that dies mid-job leaves a lease that expires;
 * another worker, or this one after a restart, picks the job up again. Handlers must be idempotent.
 *
 * While a job runs, its lease is renewed every third of the lease: a job may take longer than the
 * lease (an LLM call, a large download) without a second worker taking it over, and the lease can be
 * short, so that the jobs of a worker that died run again soon.
 */
import { randomUUID } from "node:crypto";
import { retryDelayMs } from "../domain/backoff.js";
import { AppError } from "../domain/errors.js";
import type { Clock } from "../domain/ports/clock.js";
import type { ClaimedJob, JobHandoff, JobQueue, LocalWorker, ReservedJobSlot } from "../domain/ports/jobs.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";

export type JobResult = { kind: "done" } | { kind: "retry"; at: number; reason: string } | { kind: "postpone"; until: number } | { kind: "dead"; reason: string };

/** `handoff`: where the handler may leave one follow-up job for this worker to run next (see JobHandoff). */
export type JobHandler = (job: ClaimedJob, handoff: JobHandoff) => Promise<JobResult>;

export interface JobRunnerOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  workerId?: string;
}

/** How soon after a job finishes the queue is looked at again (at most the poll interval). */
const RECHECK_AFTER_JOB_MS = 5;

export class JobRunner implements LocalWorker {
  private readonly workerId: string;
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  private polling = false;
  private pokeAgain = false;
  /** The last look found as much work as it could take, or no free slot: a freed slot should look again. */
  private mayHaveMore = true;
  private recheckSoon = false;
  /** When the next job waiting in the queue falls due, as of the last look that found the queue quiet. */
  private nextRunAt: number | null = null;
  private lastReclaim = 0;
  private readonly active = new Set<Promise<void>>();
  /** The claim token of every job this runner holds, from its start until it is settled: renewed by the heartbeat. */
  private readonly held = new Map<number, string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private renewing = false;
  /** Slots held for jobs being inserted as claimed (reserveSlot), until they are run or released. */
  private readonly reservations = new Set<Promise<void>>();

  constructor(private readonly options: JobRunnerOptions) {
    this.workerId = options.workerId ?? randomUUID().slice(0, 8);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.renewLeases(), Math.max(1, Math.floor(this.options.leaseMs / 3)));
      this.heartbeat.unref();
    }
    this.poke();
  }

  private async renewLeases(): Promise<void> {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = true;
    try {
      await this.options.queue.renewLeases([...new Set(this.held.values())], this.options.clock.now() + this.options.leaseMs);
    } catch (error) {
      // The next beat tries again; two fit in a lease.
      this.options.logger.warn({ err: String(error) }, "could not renew the leases of running jobs");
    } finally {
      this.renewing = false;
    }
  }

  /** Something was queued: look now instead of at the next poll. */
  poke(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pokeAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.poll();
  }

  /**
   * A job finished: a job queued behind it in its lane may now be claimable, and what it queued
   * without a hand-off is due. Usually there is nothing, so instead of a claim per finished job there
   * is one look shortly, for every job finished meanwhile.
   */
  private pokeSoon(): void {
    if (this.stopped) return;
    this.recheckSoon = true;
    if (this.polling) return;
    const delay = Math.min(this.options.pollMs, RECHECK_AFTER_JOB_MS);
    if (this.timer && this.timerDueAt <= Date.now() + delay) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    let delay = this.recheckSoon ? Math.min(this.options.pollMs, RECHECK_AFTER_JOB_MS) : this.options.pollMs;
    // A millisecond late: timers and the clock round differently, and a timer a hair early finds nothing due.
    if (this.nextRunAt !== null) delay = Math.min(delay, Math.max(0, this.nextRunAt - this.options.clock.now() + 1));
    this.timerDueAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delay);
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    this.polling = true;
    try {
      do {
        this.pokeAgain = false;
        this.recheckSoon = false;
        this.nextRunAt = null;
        const now = this.options.clock.now();
        if (now - this.lastReclaim >= this.options.leaseMs / 2) {
          this.lastReclaim = now;
          const reclaimed = await this.options.queue.reclaimExpired(now);
          if (reclaimed > 0) this.options.logger.warn({ reclaimed }, "jobs returned to the queue after their worker stopped");
        }
        const free = this.options.concurrency - this.running;
        if (free <= 0) {
          this.mayHaveMore = true;
          break;
        }
        const jobs = await this.options.queue.claim({ limit: free, now, leaseMs: this.options.leaseMs, workerId: this.workerId });
        for (const job of jobs) this.launch(job);
        this.mayHaveMore = jobs.length === free;
        if (this.mayHaveMore) this.pokeAgain = true;
        // Quiet now, and no look is coming soon: a job queued for later (a debounced reply, a retry) runs
        // when it falls due, not up to a poll interval after.
        else if (!this.recheckSoon && !this.pokeAgain) this.nextRunAt = await this.options.queue.nextRunAt(now);
      } while (this.pokeAgain && !this.stopped);
    } catch (error) {
      this.options.logger.error({ err: String(error) }, "job poll failed");
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  /**
   * A slot for a job about to be inserted as claimed by this worker (ClaimAtInsert): it counts as
   * taken from now on, so claims leave it free, and the job starts in it as soon as it is handed over.
   * None while the last look at the queue found more than it could take.
   */
  reserveSlot(): ReservedJobSlot | null {
    // Not while jobs may be waiting in the queue: they were due first, and under a steady stream of new
    // bodies they would never get a slot.
    if (this.stopped || this.mayHaveMore || this.running >= this.options.concurrency) return null;
    this.running++;
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.reservations.add(settled);
    const once = (then: () => void) => () => {
      if (!this.reservations.delete(settled)) return;
      settle();
      then();
    };
    return {
      workerId: this.workerId,
      leaseMs: this.options.leaseMs,
      // Also while stopping: the job was claimed before the stop began, and `stop` waits for it.
      run: (job) => once(() => this.launch(job, { reserved: true }))(),
      release: once(() => this.freeSlot()),
    };
  }

  private freeSlot(): void {
    this.running--;
    if (this.mayHaveMore) this.poke();
  }

  private launch(job: ClaimedJob, options: { reserved: boolean } = { reserved: false }): void {
    if (!options.reserved) this.running++;
    let released = false;
    // The slot is free once the handler is done and its settling write is queued: the next claim then
    // goes to the store right behind it (on SQLite, in the same group commit), not a commit later.
    const release = () => {
      if (released) return;
      released = true;
      this.freeSlot();
    };
    const task = this.execute(job, release).finally(() => {
      release();
      this.active.delete(task);
    });
    this.active.add(task);
  }

  /**
   * Runs the job, then whatever it handed off, in the same slot: a follow-up the handler queued as
   * claimed by this worker runs at once. The slot is released only when there is nothing to hand on.
   */
  private async execute(first: ClaimedJob, release: () => void): Promise<void> {
    const { clock, metrics } = this.options;
    const settling: Array<Promise<void>> = [];
    let job: ClaimedJob | null = first;
    let carried: unknown;
    while (job) {
      const handoff: JobHandoff = {
        workerId: this.workerId,
        leaseMs: this.options.leaseMs,
        get now() {
          return clock.now();
        },
        claimed: null,
        running: job,
        carried,
      };
      const handler = this.options.handlers[job.kind];
      this.held.set(job.id, job.claimToken);
      metrics.jobStartDelay.observe({ kind: job.kind }, Math.max(0, clock.now() - job.runAt) / 1000);
      const started = performance.now();
      let result: JobResult;
      try {
        result = handler ? await handler(job, handoff) : { kind: "dead", reason: `no handler for job kind ${job.kind}` };
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        // A job that can never succeed (bad input) goes to the dead-letter list at once, to be looked at.
        result = error instanceof AppError && !error.retryable ? { kind: "dead", reason } : { kind: "retry", at: clock.now() + retryDelayMs(job.attempts), reason };
      }
      metrics.jobRunSeconds.observe({ kind: job.kind }, (performance.now() - started) / 1000);
      const finished = job;
      // Once this job is settled, a later job of its lane becomes claimable (where the store runs a claim
      // concurrently with the settle, PostgreSQL, that claim may have missed it), and work the handler
      // queued without a hand-off is due: look again shortly.
      const settled = result.kind === "done" && handoff.completedInTransaction ? this.settled(finished, result) : this.settle(finished, result);
      settling.push(
        settled.then(() => {
          this.held.delete(finished.id);
          this.pokeSoon();
        }),
      );
      // Even when the handler failed, a job it handed off may have been committed (leased to us): run it
      // rather than leave it to its lease. If its transaction was rolled back instead, running it is
      // harmless: handlers are idempotent, and settling it matches no row.
      job = this.stopped ? null : handoff.claimed;
      carried = handoff.carry;
      if (!job) release();
    }
    await Promise.all(settling);
  }

  /** The handler's own transaction already completed the job. */
  private async settled(job: ClaimedJob, result: JobResult): Promise<void> {
    this.options.metrics.jobs.inc({ kind: job.kind, outcome: result.kind });
  }

  private async settle(job: ClaimedJob, result: JobResult): Promise<void> {
    const { queue, clock, metrics, logger } = this.options;
    try {
      switch (result.kind) {
        case "done":
          await queue.complete(job);
          break;
        case "postpone":
          await queue.postpone(job, result.until);
          break;
        case "retry": {
          const outcome = await queue.fail(job, result.reason, result.at, clock.now());
          if (outcome === "stale") logger.warn({ jobId: job.id, kind: job.kind }, "job outcome dropped: its lease expired and another worker took it");
          else if (outcome === "dead") logger.error({ jobId: job.id, kind: job.kind, reason: result.reason }, "job dead-lettered after its last attempt");
          else logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, reason: result.reason }, "job will be retried");
          break;
        }
        case "dead":
          await queue.fail(job, result.reason, null, clock.now());
          logger.error({ jobId: job.id, kind: job.kind, reason: result.reason }, "job dead-lettered");
          break;
        default:
          result satisfies never;
      }
      metrics.jobs.inc({ kind: job.kind, outcome: result.kind });
    } catch (error) {
      // The lease will expire and the job will run again: at-least-once.
      logger.error({ jobId: job.id, err: String(error) }, "could not settle job");
    }
  }

  /** Stops claiming and waits for running jobs, and jobs whose insert holds a slot, to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.polling) await new Promise((resolve) => setTimeout(resolve, 5));
    // A body being stored now comes with its job claimed by this worker: run it rather than leave it
    // to its lease, which would hold it back for a lease's length after a restart.
    await Promise.all([...this.reservations]);
    await Promise.allSettled([...this.active]);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** For tests and the CLI: resolves once no job is due or running. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.poke();
      await Promise.allSettled([...this.active]);
      while (this.polling) await new Promise((resolve) => setTimeout(resolve, 2));
      if (this.active.size === 0 && (await this.options.queue.countDue(this.options.clock.now())) === 0) return;
      if (Date.now() > deadline) throw new Error("jobs did not go idle in time");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
