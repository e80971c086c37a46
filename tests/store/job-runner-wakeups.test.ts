/**
 * When the job runner looks for work. With the poll interval set to a minute, only the runner's own
 * wake-ups can make these jobs run in time: a lane's next job once the lane frees up, a job waiting for
 * a slot once one frees up, a job queued for later once it falls due. And it must not claim once per
 * finished job when nobody is waiting.
 */
import { describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import type { JobQueue } from "../../backend/src/domain/ports/jobs.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { countingClaims } from "../support/counting-claims.js";
import { runnerStore } from "../support/runner-store.js";

const MINUTE = 60_000;


describe("job runner wake-ups", () => {
  const harness = runnerStore("salesbot-runner-");
  const { runners } = harness;

  const runner = (queue: JobQueue, handler: JobHandler, concurrency: number) => {
    const created = new JobRunner({ queue, handlers: { test: handler }, clock: systemClock, logger: silentLogger, metrics: createMetrics(), concurrency, pollMs: MINUTE, leaseMs: MINUTE });
    runners.push(created);
    return created;
  };

  const finished = (count: number, workMs: (n: number) => number = () => 0) => {
    const done: number[] = [];
    let resolve: () => void = () => undefined;
    const all = new Promise<void>((r) => (resolve = r));
    const handler: JobHandler = async (job) => {
      const { n } = job.payload as { n: number };
      if (workMs(n) > 0) await new Promise((r) => setTimeout(r, workMs(n)));
      done.push(n);
      if (done.length === count) resolve();
      return { kind: "done" };
    };
    const within = (ms: number) => Promise.race([all.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
    return { handler, done, within };
  };

  it("runs a lane's next job soon after the one before it finishes, in order", async () => {
    for (let n = 0; n < 4; n++) await harness.store().jobs.enqueue({ kind: "test", lane: "lane:x", payload: { n }, runAt: Date.now() });
    const { handler, done, within } = finished(4);
    runner(harness.store().jobs, handler, 4).start();
    expect(await within(3_000)).toBe(true);
    expect(done).toEqual([0, 1, 2, 3]);
  });

  it("runs a job that waited for a free slot as soon as one frees up", async () => {
    for (let n = 0; n < 3; n++) await harness.store().jobs.enqueue({ kind: "test", payload: { n }, runAt: Date.now() });
    const { handler, done, within } = finished(3);
    runner(harness.store().jobs, handler, 1).start();
    expect(await within(3_000)).toBe(true);
    expect(done.sort()).toEqual([0, 1, 2]);
  });

  /** Job 0 queues job 1, without a hand-off, due `delayMs` later; resolves true once job 1 has run. */
  const followUpRuns = async (delayMs: number): Promise<boolean> => {
    const { handler: finishedHandler, done, within } = finished(1);
    const chained: JobHandler = async (job) => {
      if ((job.payload as { n: number }).n === 0) {
        await harness.store().jobs.enqueue({ kind: "test", payload: { n: 1 }, runAt: Date.now() + delayMs });
        return { kind: "done" };
      }
      return finishedHandler(job, { workerId: "w", leaseMs: MINUTE, now: Date.now(), claimed: null });
    };
    await harness.store().jobs.enqueue({ kind: "test", payload: { n: 0 }, runAt: Date.now() });
    runner(harness.store().jobs, chained, 4).start();
    return (await within(3_000)) && done.length === 1 && done[0] === 1;
  };

  it("runs work a job queued without a hand-off soon after that job finishes", async () => {
    expect(await followUpRuns(0)).toBe(true);
  });

  it("runs a job queued for later when it falls due, not at the next poll", async () => {
    const { handler, within } = finished(1);
    const ranAt: number[] = [];
    const timed: JobHandler = async (job, handoff) => {
      ranAt.push(Date.now());
      return handler(job, handoff);
    };
    runner(harness.store().jobs, timed, 4).start();
    // The runner's first look finds the queue empty; then it is told of the job, as a process that
    // queues work tells the runners, and must come back for it by itself when it falls due.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const dueAt = Date.now() + 300;
    await harness.store().jobs.enqueue({ kind: "test", payload: { n: 0 }, runAt: dueAt });
    runners[0]!.poke();
    expect(await within(3_000)).toBe(true);
    expect(ranAt[0]).toBeGreaterThanOrEqual(dueAt);
  });

  it("runs a job that another job queued for later (a debounced reply) when it falls due", async () => {
    expect(await followUpRuns(200)).toBe(true);
  });

  it("retries a failed job when its backoff is over", async () => {
    const { handler: finishedHandler, done, within } = finished(1);
    let attempts = 0;
    const flaky: JobHandler = async (job, handoff) => {
      if (++attempts === 1) return { kind: "retry", at: Date.now() + 200, reason: "vendor outage" };
      return finishedHandler(job, handoff);
    };
    await harness.store().jobs.enqueue({ kind: "test", payload: { n: 7 }, runAt: Date.now() });
    runner(harness.store().jobs, flaky, 4).start();
    expect(await within(3_000)).toBe(true);
    expect(done).toEqual([7]);
    expect(attempts).toBe(2);
  });

  it("does not claim once per finished job when nothing is waiting", async () => {
    const jobs = 60;
    for (let n = 0; n < jobs; n++) await harness.store().jobs.enqueue({ kind: "test", lane: `lane:${n}`, payload: { n }, runAt: Date.now() });
    const counted = countingClaims(harness.store().jobs);
    // One job finishes about every millisecond, as under load.
    const { handler, within } = finished(jobs, (n) => n);
    runner(counted.queue, handler, 64).start();
    expect(await within(3_000)).toBe(true);
    // Let the wake-ups the finished lanes asked for happen.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // One claim per finished job (and one per freed slot) would be 60 to 120; one look per few milliseconds is about 15.
    expect(counted.claims()).toBeLessThan(jobs / 2);
  });
});
