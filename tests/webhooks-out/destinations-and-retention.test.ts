/**
 * Where outgoing webhooks may go, and how long they are kept. Unless the deployment allows private
 * destinations, a URL that points at a loopback or private address is refused before anything is sent
 * (SSRF) and fails for good; finished deliveries go after the retention period.
 */
import { afterEach, describe, expect, it } from "vitest";
import { publishEvent } from "../../backend/src/use-cases/handoff/events.js";
import { startWebhookRig, type WebhookTestRig } from "../support/outgoing-webhooks.js";

describe("outgoing webhook destinations", () => {
  let rig: WebhookTestRig;
  afterEach(async () => rig?.close());

  it("refuses a loopback receiver when private destinations are not allowed", async () => {
    rig = await startWebhookRig({ WEBHOOK_ALLOW_PRIVATE_URLS: "false" });
    const hook = await rig.subscribe("default", { url: `${rig.receiver.url}/internal` });
    await rig.t.backend.store.transaction((tx) => publishEvent(tx, "default", "handoff.created", { handoffId: "h1" }, rig.clock.now()));
    await rig.settle();
    expect(rig.receiver.requests).toEqual([]);
    const [delivery] = await rig.deliveries("default", hook.id);
    expect(delivery).toMatchObject({ state: "failed", attempts: [expect.objectContaining({ outcome: "failed", statusCode: null })] });
    expect(JSON.stringify(delivery)).toMatch(/private or loopback address/);
  });

  it("delivers to the same receiver when they are allowed", async () => {
    rig = await startWebhookRig({ WEBHOOK_ALLOW_PRIVATE_URLS: "true" });
    await rig.subscribe("default", { url: `${rig.receiver.url}/internal` });
    await rig.t.backend.store.transaction((tx) => publishEvent(tx, "default", "handoff.created", { handoffId: "h2" }, rig.clock.now()));
    await rig.settle();
    expect(await rig.receiver.waitForRequests(1)).toHaveLength(1);
  });
});

describe("outgoing webhook retention", () => {
  let rig: WebhookTestRig;
  afterEach(async () => rig?.close());

  it("deletes finished deliveries, with their customer data, after the retention period", async () => {
    rig = await startWebhookRig({ RAW_EVENT_RETENTION_DAYS: "30" });
    const hook = await rig.subscribe("default", { url: `${rig.receiver.url}/crm` });
    await rig.t.backend.store.transaction((tx) => publishEvent(tx, "default", "handoff.created", { customer: { name: "Zelda" } }, rig.clock.now()));
    await rig.settle();
    expect(await rig.deliveries("default", hook.id)).toHaveLength(1);
    rig.clock.advance(31 * 24 * 60 * 60_000);
    await rig.settle();
    expect(await rig.deliveries("default", hook.id)).toEqual([]);
  });
});
