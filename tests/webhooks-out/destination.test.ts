/**
 * SSRF guard: unless the deployment allows private destinations, an outgoing webhook whose URL points
 * at a loopback or private address is refused before anything is sent, and fails for good.
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
