/**
 * Outgoing webhooks as a receiver sees them: signed requests it can verify, only the events it asked
 * for, once per event, retried while it is down and given up on when it refuses. Real HTTP on
 * loopback; the clock is shifted so retries fall due without waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jobKinds } from "../../backend/src/jobs/job-kinds.js";
import { publishEvent, type EventType } from "../../backend/src/use-cases/handoff/events.js";
import { startWebhookReceiver } from "../fakes/webhook-receiver.js";
import { consumerAccepts, startWebhookRig, type WebhookTestRig } from "../support/outgoing-webhooks.js";

const TENANT = "default";
const HOUR = 60 * 60_000;

describe("outgoing webhook delivery", () => {
  let rig: WebhookTestRig;
  afterEach(async () => rig?.close());

  const publish = async (type: EventType, data: Record<string, unknown> = {}) => {
    await rig.t.backend.store.transaction((tx) => publishEvent(tx, TENANT, type, data, rig.clock.now()));
    await rig.settle();
  };
  const to = (path: string) => rig.receiver.requests.filter((r) => r.path === path);
  const metric = async (outcome: string) => {
    const text = await (await fetch(`${rig.t.backend.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`webhook_deliveries_total{outcome="${outcome}"}`));
    return line ? Number(line.split(" ")[1]) : 0;
  };

  describe("with the default timeout", () => {
    beforeEach(async () => {
      rig = await startWebhookRig();
    });

    it("signs each request so a consumer can verify it, with the documented headers and body", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/n8n` });
      const before = rig.clock.now();
      await publish("handoff.assigned", { handoffId: "h1", ownerId: "rep-7" });
      const [request] = await rig.receiver.waitForRequests(1);
      const [delivery] = await rig.deliveries(TENANT, hook.id);

      expect(request!.method).toBe("POST");
      expect(request!.path).toBe("/n8n");
      expect(request!.headers["content-type"]).toBe("application/json");
      expect(request!.headers["x-salesbot-event"]).toBe("handoff.assigned");
      expect(request!.headers["x-salesbot-delivery"]).toBe(delivery!.id);
      const timestamp = Number(request!.headers["x-salesbot-timestamp"]);
      expect(timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000));
      expect(timestamp).toBeLessThanOrEqual(Math.ceil(rig.clock.now() / 1000));

      const body = JSON.parse(request!.rawBody) as Record<string, unknown>;
      expect(body).toEqual({ id: delivery!.eventId, type: "handoff.assigned", tenantId: TENANT, occurredAt: expect.any(String), data: { handoffId: "h1", ownerId: "rep-7" } });
      expect(Date.parse(body.occurredAt as string)).toBeGreaterThanOrEqual(before);

      const now = Math.floor(rig.clock.now() / 1000);
      expect(consumerAccepts(hook.secret, request!.headers, request!.rawBody, now)).toBe(true);
      expect(consumerAccepts(hook.secret, request!.headers, request!.rawBody.replace("rep-7", "rep-8"), now)).toBe(false);
      expect(consumerAccepts(`${hook.secret}x`, request!.headers, request!.rawBody, now)).toBe(false);
      // A captured request replayed six minutes later is refused for its old timestamp.
      expect(consumerAccepts(hook.secret, request!.headers, request!.rawBody, now + 6 * 60)).toBe(false);
      expect(delivery).toMatchObject({ state: "delivered", eventType: "handoff.assigned", attempts: [{ attempt: 1, statusCode: 200, outcome: "delivered", error: null }] });
    });

    it("sends each subscription only the event types it asked for, and nothing to an inactive one", async () => {
      await rig.subscribe(TENANT, { url: `${rig.receiver.url}/all` });
      await rig.subscribe(TENANT, { url: `${rig.receiver.url}/breaches`, events: ["sla.breached"] });
      await rig.subscribe(TENANT, { url: `${rig.receiver.url}/off`, active: false });
      await publish("sla.warning", { handoffId: "h1" });
      await publish("sla.breached", { handoffId: "h1" });
      await publish("conversation.resolved", { conversationId: "c1" });
      expect(to("/all").map((r) => r.headers["x-salesbot-event"])).toEqual(expect.arrayContaining(["sla.warning", "sla.breached", "conversation.resolved"]));
      expect(to("/all")).toHaveLength(3);
      expect(to("/breaches").map((r) => r.headers["x-salesbot-event"])).toEqual(["sla.breached"]);
      expect(to("/off")).toEqual([]);
    });

    it("delivers an event once per subscription even when its publishing job runs twice", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/once` });
      const payload = { id: "evt-fixed-1", tenantId: TENANT, type: "handoff.created", data: { handoffId: "h9" }, at: rig.clock.now() };
      await rig.t.backend.store.transaction(async (tx) => {
        await tx.jobs.enqueue({ kind: jobKinds.event, tenantId: TENANT, payload, runAt: rig.clock.now() });
        await tx.jobs.enqueue({ kind: jobKinds.event, tenantId: TENANT, payload, runAt: rig.clock.now() });
      });
      await rig.settle();
      expect(to("/once")).toHaveLength(1);
      expect(JSON.parse(to("/once")[0]!.rawBody)).toMatchObject({ id: "evt-fixed-1" });
      expect(await rig.deliveries(TENANT, hook.id)).toHaveLength(1);
    });

    it("retries a receiver that answers 5xx, with backoff, then records the success", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/flaky` });
      rig.receiver.script({ status: 500, body: "database is down" }, { status: 503 });
      await publish("sla.breached", { handoffId: "h2" });
      expect(to("/flaky")).toHaveLength(1);
      let [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: [{ attempt: 1, statusCode: 500, outcome: "retry", error: "HTTP 500", responseExcerpt: "database is down" }] });
      const first = delivery!.attempts[0]!;
      expect(first.nextRetryAt! - first.at).toBeGreaterThanOrEqual(30_000);
      expect(first.nextRetryAt! - first.at).toBeLessThanOrEqual(60_000);
      expect(delivery!.nextRetryAt).toBe(first.nextRetryAt);

      // Not before it is due.
      await rig.settle();
      expect(to("/flaky")).toHaveLength(1);

      rig.clock.advance(60_001);
      await rig.settle();
      expect(to("/flaky")).toHaveLength(2);
      [delivery] = await rig.deliveries(TENANT, hook.id);
      const second = delivery!.attempts[1]!;
      expect(second).toMatchObject({ attempt: 2, statusCode: 503, outcome: "retry" });
      expect(second.nextRetryAt! - second.at).toBeGreaterThanOrEqual(60_000);
      expect(second.nextRetryAt! - second.at).toBeLessThanOrEqual(120_000);

      rig.clock.advance(120_001);
      await rig.settle();
      const requests = to("/flaky");
      expect(requests).toHaveLength(3);
      [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery).toMatchObject({ state: "delivered", nextRetryAt: null });
      expect(delivery!.deliveredAt).toBe(delivery!.attempts[2]!.at);
      expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
        [1, 500, "retry"],
        [2, 503, "retry"],
        [3, 200, "delivered"],
      ]);
      // One delivery: the same id and the same bytes each time, signed afresh with the time of each attempt.
      expect(new Set(requests.map((r) => r.headers["x-salesbot-delivery"]))).toEqual(new Set([delivery!.id]));
      expect(new Set(requests.map((r) => r.rawBody)).size).toBe(1);
      const stamps = requests.map((r) => Number(r.headers["x-salesbot-timestamp"]));
      expect(stamps[2]! - stamps[0]!).toBeGreaterThanOrEqual(180);
      expect(consumerAccepts(hook.secret, requests[2]!.headers, requests[2]!.rawBody, Math.floor(rig.clock.now() / 1000))).toBe(true);
      expect(await metric("retry")).toBe(2);
      expect(await metric("delivered")).toBe(1);
    });

    it("gives up at once on a 410: one attempt, marked failed, dead-lettered, never retried", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/gone` });
      rig.receiver.script({ status: 410, body: "this workflow was deleted" });
      await publish("handoff.created", { handoffId: "h3" });
      rig.clock.advance(2 * HOUR);
      await rig.settle();
      expect(to("/gone")).toHaveLength(1);
      const [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery).toMatchObject({ state: "failed", nextRetryAt: null, deliveredAt: null, attempts: [{ attempt: 1, statusCode: 410, outcome: "failed", error: "HTTP 410", nextRetryAt: null }] });
      const dead = (await (await rig.admin("/jobs/dead")).json()) as { jobs: Array<{ kind: string; payload: { deliveryId: string } }> };
      expect(dead.jobs).toContainEqual(expect.objectContaining({ kind: "webhook.deliver", payload: expect.objectContaining({ deliveryId: delivery!.id }) }));
      expect(await metric("failed")).toBe(1);
    });

    it("waits as long as a 429's Retry-After asks before trying again", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/busy` });
      rig.receiver.script({ status: 429, headers: { "retry-after": "120" }, body: "slow down" });
      await publish("sla.warning", { handoffId: "h4" });
      const [delivery] = await rig.deliveries(TENANT, hook.id);
      const attempt = delivery!.attempts[0]!;
      expect(attempt).toMatchObject({ statusCode: 429, outcome: "retry" });
      expect(attempt.nextRetryAt! - attempt.at).toBe(120_000);

      // Past the usual backoff, still inside the receiver's window: no request.
      rig.clock.advance(100_000);
      await rig.settle();
      expect(to("/busy")).toHaveLength(1);
      rig.clock.advance(20_001);
      await rig.settle();
      expect(to("/busy")).toHaveLength(2);
      expect((await rig.deliveries(TENANT, hook.id))[0]!.state).toBe("delivered");
    });

    it("retries when nobody listens at the URL, and gives up after the last of eight attempts", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/down` });
      for (let i = 0; i < 8; i++) rig.receiver.script({ status: 502, body: "bad gateway" });
      await publish("conversation.returned_to_bot", { conversationId: "c2" });
      for (let i = 0; i < 7; i++) {
        rig.clock.advance(HOUR + 1);
        await rig.settle();
      }
      expect(to("/down")).toHaveLength(8);
      rig.clock.advance(10 * HOUR);
      await rig.settle();
      expect(to("/down")).toHaveLength(8);
      const [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery!.state).toBe("failed");
      expect(delivery!.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(delivery!.attempts.slice(0, 7).every((a) => a.outcome === "retry" && a.nextRetryAt !== null)).toBe(true);
      expect(delivery!.attempts[7]).toMatchObject({ outcome: "failed", error: "HTTP 502; no attempts left", nextRetryAt: null });
    });

    it("logs an unreachable receiver as an attempt without a status, and retries it", async () => {
      const closed = await addressNobodyListensOn();
      const hook = await rig.subscribe(TENANT, { url: `${closed}/nobody` });
      await publish("handoff.created", { handoffId: "h5" });
      const [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: [{ attempt: 1, statusCode: null, outcome: "retry", responseExcerpt: null }] });
      expect(delivery!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
    });

    it("keeps only a short excerpt of what a receiver answers", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/chatty` });
      rig.receiver.script({ status: 200, body: "x".repeat(100_000) });
      await publish("handoff.created", { handoffId: "h6" });
      const [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery!.state).toBe("delivered");
      expect(delivery!.attempts[0]!.responseExcerpt).toBe("x".repeat(300));
    });
  });

  describe("with a short timeout", () => {
    beforeEach(async () => {
      rig = await startWebhookRig({ WEBHOOK_TIMEOUT_MS: "300" });
    });

    it("treats a receiver that does not answer in time as down: retried, then delivered", async () => {
      const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/slow` });
      rig.receiver.script({ status: 200, delayMs: 2_000 });
      await publish("sla.warning", { handoffId: "h7" });
      let [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery!.attempts[0]).toMatchObject({ statusCode: null, outcome: "retry", error: "no answer within 300 ms" });
      expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(250);
      expect(delivery!.attempts[0]!.durationMs).toBeLessThan(2_000);
      rig.clock.advance(60_001);
      await rig.settle();
      [delivery] = await rig.deliveries(TENANT, hook.id);
      expect(delivery!.state).toBe("delivered");
    });
  });
});

/** An address where nothing listens: a port that was just bound and released. */
async function addressNobodyListensOn(): Promise<string> {
  const receiver = await startWebhookReceiver();
  await receiver.close();
  return receiver.url;
}
