/**
 * A webhook body's processing job, handed to the job runner of the process that stored it: inserted
 * as claimed by a slot the runner holds for it, and started once the body is committed, with no claim
 * and no wake-up. When no slot is free, or the insert fails, nothing is held: the job is pending (or
 * not there at all) and the runner is told as before.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../backend/src/domain/ports/clock.js";
import type { ClaimedJob, JobQueue } from "../../backend/src/domain/ports/jobs.js";
import { webhookAcknowledger } from "../../backend/src/http/webhook-acknowledgement.js";
import { JobRunner, type JobHandler } from "../../backend/src/jobs/job-runner.js";
import { silentLogger } from "../../backend/src/observability/logger.js";
import { createMetrics } from "../../backend/src/observability/metrics.js";
import { countingClaims } from "../support/counting-claims.js";
import { runnerStore } from "../support/runner-store.js";
import { signBody } from "../../backend/src/security/signature.js";

const MINUTE = 60_000;
const APP_SECRET = "claim-at-insert-secret";

const envelope = (marker: string) => Buffer.from(JSON.stringify({ object: "whatsapp_business_account", entry: [], marker }));


function waitFor(check: () => boolean, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const look = () => (check() ? resolve(true) : Date.now() > deadline ? resolve(false) : setTimeout(look, 5));
    look();
  });
}

describe("webhook processing jobs claimed as they are stored", () => {
  const harness = runnerStore("salesbot-claim-at-insert-");
  const { runners } = harness;

  /** A runner that polls once a minute, and an acknowledger that hands it the jobs of the bodies it stores. */
  const setUp = async (concurrency: number, handler: JobHandler, wrap: (queue: JobQueue) => JobQueue = (queue) => queue) => {
    const counted = countingClaims(wrap(harness.store().jobs));
    const runner = new JobRunner({ queue: counted.queue, handlers: { "webhook.process": handler }, clock: systemClock, logger: silentLogger, metrics: createMetrics(), concurrency, pollMs: MINUTE, leaseMs: MINUTE });
    runners.push(runner);
    let pokes = 0;
    const acknowledger = webhookAcknowledger({ store: harness.store(), clock: systemClock, logger: silentLogger, metrics: createMetrics(), appSecret: APP_SECRET, onStored: () => (pokes++, runner.poke()), localWorker: runner });
    runner.start();
    // The start's one look at the queue.
    expect(await waitFor(() => counted.claims() === 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const post = (body: Buffer) => acknowledger.acknowledge(body, signBody(APP_SECRET, body));
    return { runner, post, claims: counted.claims, pokes: () => pokes };
  };

  const eventIdOf = (body: Buffer): number => {
    const db = new Database(harness.file(), { readonly: true });
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
    expect(await harness.store().jobs.counts()).toMatchObject({ pending: 0, running: 0 });
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
    expect(await harness.store().jobs.counts()).toMatchObject({ pending: 1, running: 1 });
    releaseFirst();
    expect(await waitFor(() => ran.length === 2)).toBe(true);
    expect(ran).toEqual([eventIdOf(first), eventIdOf(second)]);
  });

  it("holds no slot while jobs already queued may be waiting for one: they go first", async () => {
    const store = harness.store();
    const order: string[] = [];
    const gates = new Map<string, () => void>();
    const handler: JobHandler = async (job) => {
      const name = (job.payload as { name?: string }).name ?? "webhook";
      order.push(name);
      if (name !== "webhook") await new Promise<void>((resolve) => gates.set(name, resolve));
      return { kind: "done" };
    };
    for (const name of ["a", "b", "c"]) await store.jobs.enqueue({ kind: "webhook.process", payload: { name }, runAt: Date.now() - 1_000 });
    // Claims can be held back, to look at the moment between a slot freeing up and the claim that fills it.
    let claimsHeld: Promise<void> | null = null;
    let letClaimsGo: () => void = () => undefined;
    const holdable = (queue: JobQueue): JobQueue => {
      const wrapped: JobQueue = Object.create(queue) as JobQueue;
      wrapped.claim = async (options) => {
        if (claimsHeld) await claimsHeld;
        return queue.claim(options);
      };
      return wrapped;
    };
    const t = await setUp(2, handler, holdable);
    expect(await waitFor(() => order.length === 2)).toBe(true);
    claimsHeld = new Promise<void>((resolve) => (letClaimsGo = resolve));
    gates.get("a")!();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // "a" is done and its slot free, but "c" has waited longer than the new body: its job goes in pending.
    expect((await t.post(envelope("behind"))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(order).toEqual(["a", "b"]);
    claimsHeld = null;
    letClaimsGo();
    expect(await waitFor(() => order.length === 3)).toBe(true);
    gates.get("b")!();
    gates.get("c")!();
    expect(await waitFor(() => order.length === 4)).toBe(true);
    expect(order).toEqual(["a", "b", "c", "webhook"]);
  });

  it("frees the slot when the body cannot be stored", async () => {
    const t = await setUp(1, async () => ({ kind: "done" }));
    const db = new Database(harness.file());
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

  it("holds no slot once stopping, runs a job handed over while it stops, and stops only after that job", async () => {
    const ran: number[] = [];
    const t = await setUp(2, async (job) => (ran.push((job.payload as { eventId: number }).eventId), { kind: "done" }));
    const slot = t.runner.reserveSlot()!;
    let stopped = false;
    const stopping = t.runner.stop().then(() => (stopped = true));
    expect(t.runner.reserveSlot()).toBeNull();
    const body = envelope("while-stopping");
    const job = await harness.store().recordWebhookEvent({ body: body.toString(), bodySha256: "while-stopping", receivedAt: Date.now() }, slot);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    slot.run(job!);
    await stopping;
    expect(ran).toEqual([eventIdOf(body)]);
    expect(await harness.store().jobs.countDue(Date.now())).toBe(0);
  });
});
