/**
 * A running job's lease is renewed by its worker: a job that takes longer than the lease is not
 * taken over by another worker while the first still runs it, and the lease can stay short. A
 * follow-up handed over at the end of a long job gets a whole lease of its own.
 */
import { describe, expect, it } from "vitest";
import type { SqlExecutor } from "../../backend/src/adapters/store/sql-driver.js";
import { systemClock, type Clock } from "../../backend/src/domain/ports/clock.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { runnerStore } from "../support/runner-store.js";

const LEASE_MS = 300;

describe("job leases while a job runs", () => {
  const harness = runnerStore("salesbot-lease-");
  const { runners } = harness;

  const runner = (workerId: string, handler: JobHandler) => {
    const created = new JobRunner({
      queue: harness.store().jobs,
      handlers: { "test.slow": handler },
      clock: systemClock,
      logger: silentLogger,
      metrics: createMetrics(),
      concurrency: 2,
      pollMs: 20,
      leaseMs: LEASE_MS,
      workerId,
    });
    runners.push(created);
    return created;
  };

  it("keeps a job that runs four leases long with its worker: a second worker never runs it", async () => {
    const runs: string[] = [];
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const slow =
      (workerId: string): JobHandler =>
      async () => {
        runs.push(workerId);
        await new Promise((resolve) => setTimeout(resolve, 4 * LEASE_MS));
        finish();
        return { kind: "done" };
      };
    await harness.store().jobs.enqueue({ kind: "test.slow", payload: {}, runAt: Date.now() });
    const first = runner("first", slow("first"));
    first.start();
    while (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The second worker looks for work, and for expired leases, all along.
    runner("second", slow("second")).start();
    await finished;
    await first.idle(5_000);
    expect(runs).toEqual(["first"]);
    expect(await harness.store().jobs.counts()).toEqual({ pending: 0, running: 0, dead: 0 });
  });

  it("leases a follow-up from the moment it is handed over, not from the start of the job that queued it", async () => {
    const T0 = 1_900_000_000_000;
    const lease = 60_000;
    let time = T0;
    const clock: Clock = { now: () => time };
    const store = harness.store();
    let followUpLease: number | null = null;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const handlers: Record<string, JobHandler> = {
      "test.first": async (_job, handoff) => {
        // Most of a lease goes by before the job queues its follow-up.
        time += 50_000;
        await store.transaction(async (tx) => {
          await tx.jobs.enqueue({ kind: "test.second", payload: {}, runAt: time }, handoff);
          await tx.jobs.completeWithin(handoff);
        });
        return { kind: "done" };
      },
      "test.second": async (job) => {
        const [row] = await (store as unknown as { driver: SqlExecutor }).driver.all<{ locked_until: number }>(`SELECT locked_until FROM jobs WHERE id = ?`, [job.id]);
        followUpLease = Number(row!.locked_until);
        finish();
        return { kind: "done" };
      },
    };
    await store.jobs.enqueue({ kind: "test.first", payload: {}, runAt: T0 });
    const worker = new JobRunner({ queue: store.jobs, handlers, clock, logger: silentLogger, metrics: createMetrics(), concurrency: 1, pollMs: 20, leaseMs: lease, workerId: "only" });
    runners.push(worker);
    worker.start();
    await finished;
    expect(followUpLease).toBe(T0 + 50_000 + lease);
  });
});
