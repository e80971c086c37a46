/**
 * Two instances on one PostgreSQL, as in a scaled-out deployment: two store instances (two pools) and
 * two job runners race for the same queue. Every job must run once, lanes must stay serial and in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import type { JobQueue } from "../../backend/src/domain/ports/jobs.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore, type StoreHarness } from "../support/stores.js";

const LANES = 20;
const PER_LANE = 25;

interface Execution {
  lane: string;
  n: number;
  runner: string;
  start: number;
  end: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!(await postgresAvailable()))("job queue: two instances on one PostgreSQL", () => {
  let h: StoreHarness;
  beforeAll(async () => {
    h = await makePostgresStore();
    await h.store.migrate(Date.now());
  });
  afterAll(async () => h?.cleanup());

  it("runs every job exactly once, on both runners, one at a time and in order per lane", async () => {
    const queues: JobQueue[] = [h.store.jobs, h.openStore().jobs];
    const executions: Execution[] = [];
    const handler =
      (runner: string): JobHandler =>
      async (job) => {
        const { lane, n } = job.payload as { lane: string; n: number };
        const start = performance.now();
        // A little work, so jobs of different lanes overlap and a lane's next job could sneak in.
        await sleep(n % 3);
        executions.push({ lane, n, runner, start, end: performance.now() });
        return { kind: "done" };
      };
    const runners = ["a", "b"].map(
      (name, i) =>
        new JobRunner({
          queue: queues[i]!,
          handlers: { "test.lane": handler(name) },
          clock: systemClock,
          logger: silentLogger,
          metrics: createMetrics(),
          concurrency: 8,
          pollMs: 10,
          leaseMs: 30_000,
          workerId: name,
        }),
    );
    for (const runner of runners) runner.start();
    try {
      // Each lane is filled in order, from both instances in turn, while the runners are already claiming.
      await Promise.all(
        Array.from({ length: LANES }, async (_, l) => {
          for (let n = 0; n < PER_LANE; n++) {
            await queues[(l + n) % 2]!.enqueue({ kind: "test.lane", lane: `lane-${l}`, payload: { lane: `lane-${l}`, n }, runAt: Date.now() });
          }
        }),
      );
      await Promise.all(runners.map((r) => r.idle(20_000)));
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }

    expect(executions).toHaveLength(LANES * PER_LANE);
    expect(new Set(executions.map((e) => `${e.lane}/${e.n}`)).size).toBe(LANES * PER_LANE);
    expect(new Set(executions.map((e) => e.runner))).toEqual(new Set(["a", "b"]));
    for (let l = 0; l < LANES; l++) {
      const lane = executions.filter((e) => e.lane === `lane-${l}`).sort((x, y) => x.start - y.start);
      expect(lane.map((e) => e.n)).toEqual(Array.from({ length: PER_LANE }, (_, n) => n));
      for (let i = 1; i < lane.length; i++) expect(lane[i]!.start).toBeGreaterThanOrEqual(lane[i - 1]!.end);
    }
    expect(await h.store.jobs.counts()).toEqual({ pending: 0, running: 0, dead: 0 });
  });
});
