/**
 * The operator's side of outgoing webhooks: validated subscriptions per tenant, a signing secret
 * shown once and nowhere after, the delivery log, redelivery and ping, and one tenant never seeing
 * or reaching another's subscriptions.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebhookSubscriptionView } from "@salesbot/shared";
import { SqliteDriver } from "../../backend/src/adapters/store/sqlite-driver.js";
import { publishEvent, type EventType } from "../../backend/src/use-cases/handoff/events.js";
import { consumerAccepts, startWebhookRig, type WebhookTestRig } from "../support/outgoing-webhooks.js";

const TENANT = "default";
const OTHER = "other-co";

describe("outgoing webhooks admin API", () => {
  let rig: WebhookTestRig;
  beforeEach(async () => {
    rig = await startWebhookRig();
    await rig.t.backend.store.upsertTenant({ id: OTHER, name: "Other Co" }, rig.clock.now());
  });
  afterEach(async () => rig?.close());

  const publish = async (type: EventType, tenantId = TENANT) => {
    await rig.t.backend.store.transaction((tx) => publishEvent(tx, tenantId, type, { note: "from a test" }, rig.clock.now()));
    await rig.settle();
  };
  const list = async (tenantId: string) => ((await (await rig.admin(`/tenants/${tenantId}/webhooks`)).json()) as { webhooks: WebhookSubscriptionView[] }).webhooks;

  it("creates a subscription, returns its secret once, and lists it without the secret", async () => {
    const created = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/make`, events: ["handoff.created", "sla.breached"], description: "Make scenario" });
    expect(created).toMatchObject({ url: `${rig.receiver.url}/make`, events: ["handoff.created", "sla.breached"], active: true, description: "Make scenario" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const other = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/n8n` });
    expect(other.secret).not.toBe(created.secret);
    expect(other.events).toBeNull();

    const response = await rig.admin(`/tenants/${TENANT}/webhooks`);
    const text = await response.text();
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain("secret");
    expect((JSON.parse(text) as { webhooks: WebhookSubscriptionView[] }).webhooks.map((w) => w.id)).toEqual([created.id, other.id]);
  });

  it("refuses invalid subscriptions with a 400 and names the field", async () => {
    const post = (body: unknown) => rig.admin(`/tenants/${TENANT}/webhooks`, { method: "POST", body });
    for (const body of [
      { url: "ftp://example.com/hook" },
      { url: "javascript:alert(1)" },
      { url: "not a url" },
      { url: `${rig.receiver.url}/x`, events: ["handoff.exploded"] },
      { url: `${rig.receiver.url}/x`, events: [] },
      { url: `${rig.receiver.url}/x`, active: "yes" },
      "{not json",
    ]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
    expect(await list(TENANT)).toEqual([]);
  });

  it("sits behind the operator token and answers 404 for a tenant that does not exist", async () => {
    expect((await rig.admin(`/tenants/${TENANT}/webhooks`, { token: null })).status).toBe(401);
    expect((await rig.admin(`/tenants/${TENANT}/webhooks`, { method: "POST", body: { url: `${rig.receiver.url}/x` }, token: "wrong-token-wrong-token-wrong" })).status).toBe(401);
    expect((await rig.admin(`/tenants/nobody/webhooks`)).status).toBe(404);
    expect((await rig.admin(`/tenants/nobody/webhooks`, { method: "POST", body: { url: `${rig.receiver.url}/x` } })).status).toBe(404);
  });

  it("keeps tenants apart: another tenant can neither see, use nor delete a subscription, nor trigger it", async () => {
    const mine = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/mine` });
    const theirs = await rig.subscribe(OTHER, { url: `${rig.receiver.url}/theirs` });
    expect((await list(TENANT)).map((w) => w.id)).toEqual([mine.id]);
    expect((await list(OTHER)).map((w) => w.id)).toEqual([theirs.id]);

    await publish("handoff.created", TENANT);
    const [delivery] = await rig.deliveries(TENANT, mine.id);
    expect(rig.receiver.requests.map((r) => r.path)).toEqual(["/mine"]);
    expect(JSON.parse(rig.receiver.requests[0]!.rawBody)).toMatchObject({ tenantId: TENANT });

    expect((await rig.admin(`/tenants/${OTHER}/webhooks/${mine.id}/deliveries`)).status).toBe(404);
    expect((await rig.admin(`/tenants/${OTHER}/webhooks/${mine.id}/ping`, { method: "POST" })).status).toBe(404);
    expect((await rig.admin(`/tenants/${OTHER}/webhooks/${mine.id}/deliveries/${delivery!.id}/redeliver`, { method: "POST" })).status).toBe(404);
    // A delivery id is not enough either: it must belong to the subscription named in the path.
    expect((await rig.admin(`/tenants/${OTHER}/webhooks/${theirs.id}/deliveries/${delivery!.id}/redeliver`, { method: "POST" })).status).toBe(404);
    expect((await rig.admin(`/tenants/${OTHER}/webhooks/${mine.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await list(TENANT)).map((w) => w.id)).toEqual([mine.id]);

    await publish("sla.breached", OTHER);
    expect(rig.receiver.requests.map((r) => r.path)).toEqual(["/mine", "/theirs"]);
    expect(JSON.parse(rig.receiver.requests[1]!.rawBody)).toMatchObject({ tenantId: OTHER, type: "sla.breached" });
    expect(consumerAccepts(mine.secret, rig.receiver.requests[1]!.headers, rig.receiver.requests[1]!.rawBody, Math.floor(rig.clock.now() / 1000))).toBe(false);
    expect(consumerAccepts(theirs.secret, rig.receiver.requests[1]!.headers, rig.receiver.requests[1]!.rawBody, Math.floor(rig.clock.now() / 1000))).toBe(true);
  });

  it("sends a signed ping to one subscription on request, whatever event types it chose", async () => {
    const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/ping-me`, events: ["sla.breached"] });
    const bystander = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/bystander` });
    const response = await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/ping`, { method: "POST" });
    expect(response.status).toBe(202);
    const ping = (await response.json()) as { eventId: string; deliveryId: string };
    await rig.settle();
    const [request] = await rig.receiver.waitForRequests(1);
    expect(rig.receiver.requests).toHaveLength(1);
    expect(request!.path).toBe("/ping-me");
    expect(request!.headers["x-salesbot-event"]).toBe("ping");
    expect(request!.headers["x-salesbot-delivery"]).toBe(ping.deliveryId);
    expect(JSON.parse(request!.rawBody)).toMatchObject({ id: ping.eventId, type: "ping", tenantId: TENANT, data: { subscriptionId: hook.id } });
    expect(consumerAccepts(hook.secret, request!.headers, request!.rawBody, Math.floor(rig.clock.now() / 1000))).toBe(true);
    expect(await rig.deliveries(TENANT, bystander.id)).toEqual([]);
    expect((await rig.admin(`/tenants/${TENANT}/webhooks/no-such-hook/ping`, { method: "POST" })).status).toBe(404);
  });

  it("redelivers a settled delivery with the same id and body, and refuses while attempts are still coming", async () => {
    const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/again` });
    rig.receiver.script({ status: 500 }, { status: 200 }, { status: 404, body: "no such workflow" }, { status: 200 });
    await publish("conversation.resolved");
    let [delivery] = await rig.deliveries(TENANT, hook.id);
    const redeliver = () => rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/deliveries/${delivery!.id}/redeliver`, { method: "POST" });
    expect(delivery!.state).toBe("pending");
    expect((await redeliver()).status).toBe(409);

    rig.clock.advance(60_001);
    await rig.settle();
    [delivery] = await rig.deliveries(TENANT, hook.id);
    expect(delivery!.state).toBe("delivered");

    // The receiver lost it: send it again.
    const again = await redeliver();
    expect(again.status).toBe(202);
    await rig.settle();
    [delivery] = await rig.deliveries(TENANT, hook.id);
    expect(delivery!.state).toBe("failed");
    expect(delivery!.attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 500, "retry"],
      [2, 200, "delivered"],
      [3, 404, "failed"],
    ]);
    expect(delivery!.attempts[2]!.responseExcerpt).toBe("no such workflow");

    // A failed delivery can be sent again once the receiver is fixed.
    expect((await redeliver()).status).toBe(202);
    await rig.settle();
    [delivery] = await rig.deliveries(TENANT, hook.id);
    expect(delivery!.state).toBe("delivered");
    expect(delivery!.attempts).toHaveLength(4);

    const requests = rig.receiver.requests;
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["x-salesbot-delivery"]))).toEqual(new Set([delivery!.id]));
    expect(new Set(requests.map((r) => r.rawBody)).size).toBe(1);
    expect((await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/deliveries/nope/redeliver`, { method: "POST" })).status).toBe(404);
  });

  it("deletes a subscription: no more deliveries, its log is gone, and deleting again is a 404", async () => {
    const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/bye` });
    await publish("handoff.created");
    expect(rig.receiver.requests).toHaveLength(1);
    const deleted = await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await list(TENANT)).toEqual([]);
    expect((await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    await publish("handoff.created");
    expect(rig.receiver.requests).toHaveLength(1);
    expect((await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("never shows the secret after creation: not in listings, delivery logs, log lines or the database", async () => {
    const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/secretive` });
    rig.receiver.script({ status: 500, body: "retry me" }, { status: 400, body: "bad" });
    await publish("handoff.created");
    rig.clock.advance(60_001);
    await rig.settle();
    await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/ping`, { method: "POST" });
    await rig.settle();
    expect(rig.receiver.requests).toHaveLength(3);

    const listings = [
      await (await rig.admin(`/tenants/${TENANT}/webhooks`)).text(),
      await (await rig.admin(`/tenants/${TENANT}/webhooks/${hook.id}/deliveries`)).text(),
      await (await rig.admin(`/jobs/dead`)).text(),
    ];
    for (const text of listings) expect(text).not.toContain(hook.secret);
    expect(rig.logs.some((line) => line.includes("webhook attempt failed"))).toBe(true);
    expect(rig.logs.join("\n")).not.toContain(hook.secret);

    const config = rig.t.backend.config;
    if (config.store.kind !== "sqlite") throw new Error("this test reads the SQLite file");
    const raw = new SqliteDriver(config.store.file);
    try {
      const [row] = await raw.all<{ secret_enc: string }>(`SELECT secret_enc FROM webhook_subscriptions WHERE id = ?`, [hook.id]);
      expect(row!.secret_enc).toMatch(/^v1\./);
      expect(row!.secret_enc).not.toContain(hook.secret.slice("whsec_".length));
      const everything = JSON.stringify(await raw.all(`SELECT * FROM webhook_deliveries`)) + JSON.stringify(await raw.all(`SELECT * FROM webhook_delivery_attempts`));
      expect(everything).not.toContain(hook.secret);
    } finally {
      await raw.close();
    }
  });
});
