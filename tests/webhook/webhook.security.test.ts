import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signBody } from "../../backend/src/security/signature.js";
import { startTestBackend, TEST_APP_SECRET, TEST_VERIFY_TOKEN, type TestBackend } from "../support/backend.js";

const body = JSON.stringify({
  object: "whatsapp_business_account",
  entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "106540352242922" }, messages: [{ from: "16505551234", id: "wamid.sec-1", timestamp: "1750000000", type: "text", text: { body: "hi" } }] } }] }],
});

describe("webhook endpoint: handshake, signatures, size", () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ overrides: { runJobs: false } });
  });
  afterAll(async () => t.close());

  const storedEvents = async () => (await t.backend.store.jobs.counts()).pending;

  it("answers Meta's handshake with the bare challenge, and 403 on a wrong token", async () => {
    const ok = await fetch(`${t.backend.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(`${t.backend.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
  });

  it("refuses a missing, malformed, wrong-key or tampered signature with 401 and stores nothing", async () => {
    const before = await storedEvents();
    const cases: Array<string | null> = [
      null,
      "sha1=abc",
      "sha256=zz",
      signBody("another-secret", body),
      signBody(TEST_APP_SECRET, body.replace("hi", "ho")),
    ];
    for (const signature of cases) {
      const response = await t.postWebhook(body, { signature });
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized");
    }
    expect(await storedEvents()).toBe(before);
  });

  it("verifies the raw bytes: a body with Meta's \\u and \\/ escapes is accepted as sent", async () => {
    const escaped = body.replace('"hi"', '"caf\\u00e9 \\/ \\ud83d\\ude00"');
    const response = await t.postWebhook(escaped);
    expect(response.status).toBe(200);
  });

  it("accepts a 3 MB body and refuses one over 4 MB with 413", async () => {
    const padding = "x".repeat(3 * 1024 * 1024);
    const big = JSON.stringify({ object: "whatsapp_business_account", entry: [], padding });
    expect((await t.postWebhook(big)).status).toBe(200);
    const huge = JSON.stringify({ object: "whatsapp_business_account", entry: [], padding: "y".repeat(4 * 1024 * 1024 + 10) });
    const response = await t.postWebhook(huge);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large");
  });

  it("gives a clear 400 for a signed body that is not JSON or not an envelope", async () => {
    const notJson = await t.postWebhook("{not json");
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toMatch(/not JSON/);
    const notEnvelope = await t.postWebhook(JSON.stringify({ hello: "world" }));
    expect(notEnvelope.status).toBe(400);
  });

  it("acknowledges each redelivery of an identical body once it is stored (processing tells them apart)", async () => {
    const unique = body.replace("wamid.sec-1", "wamid.sec-dup");
    const before = await storedEvents();
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.postWebhook(unique)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(await storedEvents()).toBe(before + 8);
  });
});
