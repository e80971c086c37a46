/**
 * What a job leaves for the follow-up it hands to its own worker (`JobHandoff.carry`) reaches that
 * follow-up, and nothing else: not a job claimed from the queue, not the job after the follow-up.
 */
import { describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { runnerStore } from "../support/runner-store.js";

describe("job runner: what a job carries to its hand-off", () => {
  const harness = runnerStore("salesbot-runner-carry-");

  it("hands the carry to the follow-up only, and only when the follow-up was handed over", async () => {
    const store = harness.store();
    const seen: Array<{ kind: string; carried: unknown }> = [];
    const handlers: Record<string, JobHandler> = {
      first: async (job, handoff) => {
        seen.push({ kind: job.kind, carried: handoff.carried });
        await store.transaction((tx) => tx.jobs.enqueue({ kind: "second", lane: "carry:a", payload: {}, runAt: handoff.now }, handoff));
        handoff.carry = { from: job.id };
        return { kind: "done" };
      },
      second: async (job, handoff) => {
        seen.push({ kind: job.kind, carried: handoff.carried });
        await store.transaction((tx) => tx.jobs.enqueue({ kind: "third", payload: {}, runAt: handoff.now }, handoff));
        return { kind: "done" };
      },
      third: async (job, handoff) => (seen.push({ kind: job.kind, carried: handoff.carried }), { kind: "done" }),
      // Its follow-up cannot be handed over (its lane is held by a pending job): it is queued, and what
      // was left for it is dropped.
      blocked: async (job, handoff) => {
        seen.push({ kind: job.kind, carried: handoff.carried });
        await store.transaction((tx) => tx.jobs.enqueue({ kind: "queued", lane: "carry:busy", payload: {}, runAt: handoff.now }, handoff));
        handoff.carry = { from: job.id };
        return { kind: "done" };
      },
      queued: async (job, handoff) => (seen.push({ kind: job.kind, carried: handoff.carried }), { kind: "done" }),
      holder: async (job, handoff) => (seen.push({ kind: job.kind, carried: handoff.carried }), { kind: "done" }),
    };
    await store.jobs.enqueue({ kind: "first", payload: {}, runAt: Date.now() });
    // Holds lane carry:busy until after `blocked` ran: it is due only later.
    await store.jobs.enqueue({ kind: "holder", lane: "carry:busy", payload: {}, runAt: Date.now() + 300 });
    await store.jobs.enqueue({ kind: "blocked", payload: {}, runAt: Date.now() });
    const runner = new JobRunner({ queue: store.jobs, handlers, clock: systemClock, logger: silentLogger, metrics: createMetrics(), concurrency: 4, pollMs: 10, leaseMs: 60_000 });
    harness.runners.push(runner);
    runner.start();
    await expect.poll(() => seen.length, { timeout: 5_000 }).toBe(6);
    await runner.idle();

    const byKind = new Map(seen.map((entry) => [entry.kind, entry.carried]));
    expect(byKind.get("second")).toEqual({ from: expect.any(Number) });
    // Claimed from the queue: nothing carried.
    expect(byKind.get("first")).toBeUndefined();
    expect(byKind.get("blocked")).toBeUndefined();
    expect(byKind.get("holder")).toBeUndefined();
    // `second` left nothing for its own hand-off; the carry of `first` does not travel further.
    expect(byKind.get("third")).toBeUndefined();
    // Queued behind the lane and claimed later, not handed over.
    expect(byKind.get("queued")).toBeUndefined();
  });
});
