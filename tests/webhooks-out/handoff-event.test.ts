/**
 * End to end: a customer on the WhatsApp fake asks for a person, the real backend hands the
 * conversation off, and a workflow tool subscribed to handoff.created receives it signed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_PHONE_NUMBER_ID } from "../support/backend.js";
import { consumerAccepts, startWebhookRig, type WebhookTestRig } from "../support/outgoing-webhooks.js";
import { textMessage } from "../support/webhooks.js";

const TENANT = "default";

describe("a real handoff reaches a subscribed workflow", () => {
  let rig: WebhookTestRig;
  beforeEach(async () => {
    rig = await startWebhookRig();
  });
  afterEach(async () => rig?.close());

  it("delivers a signed handoff.created naming the handoff, its conversation and reason", async () => {
    const hook = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/n8n/handoffs`, events: ["handoff.created"] });
    const uninterested = await rig.subscribe(TENANT, { url: `${rig.receiver.url}/resolutions`, events: ["conversation.resolved"] });

    const response = await rig.t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550042", name: "Dana Buyer", text: "I want to talk to a person" }).body);
    expect(response.status).toBe(200);
    await rig.settle();

    const [conversation] = await rig.t.backend.store.listConversations(TENANT, 1);
    expect(conversation!.mode).toBe("waiting");
    const handoff = await rig.t.backend.store.handoffs.open(TENANT, conversation!.id);
    expect(handoff).not.toBeNull();

    const [request] = await rig.receiver.waitForRequests(1);
    expect(rig.receiver.requests).toHaveLength(1);
    expect(request!.path).toBe("/n8n/handoffs");
    expect(request!.headers["x-salesbot-event"]).toBe("handoff.created");
    expect(consumerAccepts(hook.secret, request!.headers, request!.rawBody, Math.floor(Date.now() / 1000))).toBe(true);
    const event = JSON.parse(request!.rawBody) as { type: string; tenantId: string; data: Record<string, unknown> };
    expect(event).toMatchObject({
      type: "handoff.created",
      tenantId: TENANT,
      data: { handoffId: handoff!.id, conversationId: conversation!.id, reason: handoff!.reason, team: handoff!.team, customer: { name: "Dana Buyer", phone: "+16505550042" } },
    });
    const [delivery] = await rig.deliveries(TENANT, hook.id);
    expect(delivery).toMatchObject({ state: "delivered", eventType: "handoff.created", id: request!.headers["x-salesbot-delivery"] });
    expect(await rig.deliveries(TENANT, uninterested.id)).toEqual([]);
  });
});
