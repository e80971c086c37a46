/**
 * A webhook body's processing job, handed to the job runner of the process that stored it: inserted
 * as claimed by a slot the runner holds for it, and started once the body is committed, with no claim
 * and no wake-up. When no slot is free, or the insert fails, nothing is held: the job is pending (or
 * not there at all) and the runner is told as before.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import type { ClaimedJob, JobQueue } from "../../backend/src/domain/ports/jobs.js";
import { webhookAcknowledger } from "../../backend/src/http/webhook-acknowledgement.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { SecretBox } from "../../backend/src/security/secret-box.js";
import { signBody } from "../../backend/src/security/signature.js";

const MINUTE = 60_000;
const APP_SECRET = "claim-at-insert-secret";

const envelope = (marker: string) => Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], marker }));

function countingClaims(queue: JobQueue): { queue: JobQueue; claims: () => number } {
  let claims = 0;
  const counted: JobQueue = Object.create(queue) as JobQueue;
  counted.claim = (options) => {
    claims++;
    return queue.claim(options);
  };
  return { queue: counted, claims: () => claims };
}

function waitFor(check: () => boolean, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const look = () => (check() ? resolve(true) : Date.now() > deadline ? resolve(false) : setTimeout(look, 5));
    look();
  });
}

describe("webhook processing jobs claimed as they are stored", () => {
  let dir: string;
  let file: string;
  let store: SqlStore;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "salesbot-claim-at-insert-"));
    file = join(dir, "db.sqlite");
    store = new SqlStore(new SqliteDriver(file), new SecretBox(Buffer.alloc(32, 3)));
    await store.migrate(Date.now());
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A runner that polls once a minute, and an acknowledger that hands it the jobs of the bodies it stores. */
  const setUp = async (concurrency: number, handler: JobHandler) => {
    const counted = countingClaims(store.jobs);
    const runner = new JobRunner({ queue: counted.queue, handlers: { "webhook.process": handler }, clock: systemClock, logger: silentLogger, metrics: createMetrics(), concurrency, pollMs: MINUTE, leaseMs: MINUTE });
    runners.push(runner);
    let pokes = 0;
    const acknowledger = webhookAcknowledger({ store, clock: systemClock, logger: silentLogger, metrics: createMetrics(), appSecret: APP_SECRET, onStored: () => (pokes++, runner.poke()), localWorker: runner });
    runner.start();
    // The start's one look at the queue.
    expect(await waitFor(() => counted.claims() === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const post = (body: Buffer) => acknowledger.acknowledge(body, signBody(APP_SECRET, body));
    return { runner, post, claims: counted.claims, pokes: () => pokes };
  };

  const eventIdOf = (body: Buffer): number => {
    const db = new Database(file, { readonly: true });
    try {
      return Number(db.prepare("SELECT id FROM webhook_events WHERE body = ?").pluck().get(body.toString()));
    } finally {
      db.close();
    }
  };

  it("starts the job of a stored body at once, without a claim or a wake-up, and settles it", async () => {
    const ran: Array<{ job: ClaimedJob; claimsBefore: number }> = [];
    const t = await setUp(4, async (job) => {
      ran.push({ job, claimsBefore: t.claims() });
      return { kind: "done" };
    });
    const body = envelope("at-once");
    expect((await t.post(body)).status).toBe(200);
    expect(await waitFor(() => ran.length === 1)).toBe(true);
    expect(ran[0]!.job).toMatchObject({ kind: "webhook.process", payload: { eventId: eventIdOf(body) }, attempts: 1 });
    expect(ran[0]!.claimsBefore).toBe(1);
    expect(t.pokes()).toBe(0);
    await t.runner.idle();
    expect(await store.jobs.counts()).toMatchObject({ pending: 0, running: 0 });
  });

  it("leaves the job pending and wakes the runner when every slot is taken; it runs once one frees up", async () => {
    const ran: number[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const t = await setUp(1, async (job) => {
      const { eventId } = job.payload as { eventId: number };
      ran.push(eventId);
      if (ran.length === 1) await firstHeld;
      return { kind: "done" };
    });
    const first = envelope("first");
    const second = envelope("second");
    await t.post(first);
    expect(await waitFor(() => ran.length === 1)).toBe(true);
    expect(t.runner.reserveSlot()).toBeNull();
    expect((await t.post(second)).status).toBe(200);
    expect(t.pokes()).toBe(1);
    expect(await store.jobs.counts()).toMatchObject({ pending: 1, running: 1 });
    releaseFirst();
    expect(await waitFor(() => ran.length === 2)).toBe(true);
    expect(ran).toEqual([eventIdOf(first), eventIdOf(second)]);
  });

  it("frees the slot when the body cannot be stored", async () => {
    const t = await setUp(1, async () => ({ kind: "done" }));
    const db = new Database(file);
    db.exec(`CREATE TRIGGER refuse_events BEFORE INSERT ON webhook_events BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    try {
      expect((await t.post(envelope("refused"))).status).toBe(500);
    } finally {
      db.exec(`DROP TRIGGER refuse_events`);
      db.close();
    }
    const slot = t.runner.reserveSlot();
    expect(slot).not.toBeNull();
    slot!.release();
  });

  it("holds no slot for a runner that is stopped, and leaves a job handed to a stopped runner to its lease", async () => {
    const ran: number[] = [];
    const t = await setUp(2, async (job) => (ran.push((job.payload as { eventId: number }).eventId), { kind: "done" }));
    const slot = t.runner.reserveSlot()!;
    await t.runner.stop();
    expect(t.runner.reserveSlot()).toBeNull();
    const job = await store.recordWebhookEvent({ body: envelope("stopped").toString(), bodySha256: "stopped", receivedAt: Date.now() }, slot);
    slot.run(job!);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran).toEqual([]);
    expect(await store.jobs.countDue(Date.now())).toBeGreaterThanOrEqual(1);
    expect(await store.jobs.reclaimExpired(Date.now() + MINUTE)).toBeGreaterThanOrEqual(1);
  });
});
