/**
 * A worker process killed with SIGKILL in the middle of a job: after its lease expires another
 * worker runs the job to completion, exactly once, on either engine.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import type { ClaimedJob } from "../../backend/src/domain/ports/jobs.js";
import { JobRunner } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { runTsChild } from "../support/child.js";
import { postgresAvailable } from "../support/postgres.js";
import { makePostgresStore, makeSqliteStore, type MakeStore, type StoreHarness } from "../support/stores.js";

const CHILD_LEASE_MS = 400;
const engines: Array<[string, MakeStore, boolean]> = [
  ["sqlite", makeSqliteStore, true],
  ["postgres", makePostgresStore, await postgresAvailable()],
];

describe("crash mid-job", () => {
  // Concurrent: most of each case is waiting for a child to boot and a lease to expire.
  for (const [name, makeStore, available] of engines) {
    it.concurrent(`${name}: runs the job of a SIGKILLed worker to completion exactly once after its lease expires`, async (context) => {
      if (!available) context.skip();
      const h = await makeStore();
      const dir = mkdtempSync(join(tmpdir(), "salesbot-crash-"));
      try {
        await crashAndRecover(h, join(dir, "marker.log"));
      } finally {
        await h.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

async function crashAndRecover(h: StoreHarness, marker: string): Promise<void> {
  await h.store.migrate(Date.now());
  await h.store.jobs.enqueue({ kind: "test.crash", payload: { order: 7 }, tenantId: null, runAt: Date.now() });

  const child = await runTsChild("tests/contract/crash-worker.ts", [h.location.engine, h.location.target, marker, String(CHILD_LEASE_MS)]);
  expect(child.signal, child.stderr).toBe("SIGKILL");
  expect(readFileSync(marker, "utf8").trim().split("\n")).toEqual([expect.stringMatching(/^started \d+ attempt 1$/)]);
  const [abandoned] = await h.sql.all<{ id: number; state: string; locked_until: number }>(`SELECT id, state, locked_until FROM jobs`);
  expect(abandoned).toMatchObject({ state: "running" });

  const runs: Array<{ job: ClaimedJob; at: number }> = [];
  const runner = new JobRunner({
    queue: h.store.jobs,
    handlers: {
      "test.crash": async (job) => {
        runs.push({ job, at: Date.now() });
        await h.store.raiseAlert({ tenantId: null, kind: "crash-test", message: `order ${(job.payload as { order: number }).order} done`, at: Date.now() });
        return { kind: "done" };
      },
    },
    clock: systemClock,
    logger: silentLogger,
    metrics: createMetrics(),
    concurrency: 4,
    pollMs: 20,
    leaseMs: 1_000,
    workerId: "survivor",
  });
  runner.start();
  try {
    await runner.idle(10_000);
  } finally {
    await runner.stop();
  }

  expect(runs).toHaveLength(1);
  expect(runs[0]!.job).toMatchObject({ id: Number(abandoned!.id), attempts: 2, payload: { order: 7 } });
  expect(runs[0]!.at).toBeGreaterThanOrEqual(Number(abandoned!.locked_until));
  expect((await h.store.listAlerts(null, 10)).map((a) => a.message)).toEqual(["order 7 done"]);
  expect(await h.store.jobs.counts()).toEqual({ pending: 0, running: 0, dead: 0 });
  expect(readFileSync(marker, "utf8").trim().split("\n")).toHaveLength(1);
}
