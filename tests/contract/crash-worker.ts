/**
 * A worker process that dies mid-job: it claims the queued `test.crash` job with a short lease, notes
 * in a marker file that it started, and SIGKILLs itself before the job's work is done.
 * Usage: node --import tsx tests/contract/crash-worker.ts <sqlite|postgres> <file-or-url> <marker-file> <lease-ms>
 */
import { appendFileSync } from "node:fs";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import { JobRunner } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { openStoreAt } from "../support/stores.js";

const [engine, target, marker, leaseMs] = process.argv.slice(2);
if ((engine !== "sqlite" && engine !== "postgres") || !target || !marker || !leaseMs) {
  throw new Error("usage: crash-worker.ts <sqlite|postgres> <file-or-url> <marker-file> <lease-ms>");
}
const store = openStoreAt({ engine, target });
const runner = new JobRunner({
  queue: store.jobs,
  handlers: {
    "test.crash": async (job) => {
      appendFileSync(marker, `started ${job.id} attempt ${job.attempts}\n`);
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => undefined);
      return { kind: "done" };
    },
  },
  clock: systemClock,
  logger: silentLogger,
  metrics: createMetrics(),
  concurrency: 1,
  pollMs: 20,
  leaseMs: Number(leaseMs),
  workerId: "doomed",
});
runner.start();
// Nothing to claim is a setup error: say so rather than hang.
setTimeout(() => {
  console.error("crash-worker: no job was claimed");
  process.exit(2);
}, 10_000).unref();
