/**
 * What the job runner reports per job kind: how long after it was due a job started (a queue that
 * falls behind shows here first) and how long its handler ran, for jobs claimed from the queue and
 * for the follow-up a job hands to its own worker.
 */
import { describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics, type Metrics } from "../../backend/src/observability/metrics.js";
import { runnerStore } from "../support/runner-store.js";

async function bucketCounts(metrics: Metrics, name: "jobs_start_delay_seconds" | "jobs_run_seconds", kind: string): Promise<Map<number, number>> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  const counts = new Map<number, number>();
  for (const value of metric.values) {
    if ((value as { metricName?: string }).metricName === `${name}_bucket` && value.labels.kind === kind && value.labels.le !== "+Inf") counts.set(Number(value.labels.le), value.value);
  }
  return counts;
}

describe("job runner metrics", () => {
  const harness = runnerStore("salesbot-runner-metrics-");

  it("observes each job's delay after it was due and its run time, by kind", async () => {
    const store = harness.store();
    const metrics = createMetrics();
    let ran = 0;
    const handlers: Record<string, JobHandler> = {
      late: async (job, handoff) => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        await store.transaction((tx) => tx.jobs.enqueue({ kind: "next", payload: {}, runAt: handoff.now }, handoff));
        ran++;
        return { kind: "done" };
      },
      next: async () => (ran++, { kind: "done" }),
    };
    // Due two seconds ago, as after an outage.
    await store.jobs.enqueue({ kind: "late", payload: {}, runAt: Date.now() - 2_000 });
    const runner = new JobRunner({ queue: store.jobs, handlers, clock: systemClock, logger: silentLogger, metrics, concurrency: 2, pollMs: 10, leaseMs: 60_000 });
    harness.runners.push(runner);
    runner.start();
    await runner.idle();
    expect(ran).toBe(2);

    const lateDelay = await bucketCounts(metrics, "jobs_start_delay_seconds", "late");
    expect(lateDelay.get(1)).toBe(0);
    expect(lateDelay.get(5)).toBe(1);
    const lateRun = await bucketCounts(metrics, "jobs_run_seconds", "late");
    expect(lateRun.get(0.05)).toBe(0);
    expect(lateRun.get(1)).toBe(1);
    // The hand-off ran at once, in the same slot.
    const nextDelay = await bucketCounts(metrics, "jobs_start_delay_seconds", "next");
    expect(nextDelay.get(0.1)).toBe(1);
  });
});
