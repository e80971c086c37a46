/**
 * Sending: every business message goes out through a job against the WhatsApp fake, and Meta's
 * answers are acted on: accepted, rate limited, window closed, token refused.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAgent } from "../../backend/src/agent/create-agent.js";
import type { Agent } from "../../backend/src/domain/agent.js";
import { AppError } from "../../backend/src/domain/errors.js";
import { queueOutbound } from "../../backend/src/use-cases/queue-outbound.js";
import { TYPING_AFTER_MS } from "../../backend/src/use-cases/reading-signals.js";
import { startTestBackend, TEST_ACCESS_TOKEN, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { ShiftableClock } from "../support/clock.js";
import { textMessage } from "../support/webhooks.js";

const TENANT = "default";

describe("outbound messages", () => {
  let t: TestBackend;
  let clock: ShiftableClock;
  beforeEach(async () => {
    clock = new ShiftableClock();
    t = await startTestBackend({ overrides: { clock } });
  });
  afterEach(async () => t.close());

  const sends = () => t.whatsapp.simulator.requests.filter((r) => r.path.endsWith("/messages") && (r.body as { type?: string }).type !== undefined);

  async function customerWrites(text: string, from = "16505551234"): Promise<string> {
    const { body } = textMessage(TEST_PHONE_NUMBER_ID, { from, text, timestamp: clock.now() });
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.backend.runner.idle();
    const [conversation] = await t.backend.store.listConversations(TENANT, 1);
    return conversation!.id;
  }

  async function botMessages(conversationId: string) {
    return (await t.backend.store.listMessages(TENANT, conversationId)).filter((m) => m.direction === "outbound");
  }

  it("replies through the Graph API in Meta's wire format and follows the delivery statuses to read", async () => {
    const conversationId = await customerWrites("hello");
    const [request] = sends();
    expect(request!.path).toBe(`/v25.0/${TEST_PHONE_NUMBER_ID}/messages`);
    expect(request!.authorization).toBe(`Bearer ${TEST_ACCESS_TOKEN}`);
    expect(request!.body).toMatchObject({ messaging_product: "whatsapp", recipient_type: "individual", to: "16505551234", type: "text", text: { body: expect.any(String) } });
    const [reply] = await botMessages(conversationId);
    expect((request!.body as { biz_opaque_callback_data: string }).biz_opaque_callback_data).toBe(String(reply!.seq));
    await expect.poll(async () => (await botMessages(conversationId))[0]!.status, { timeout: 5000 }).toBe("read");
  });

  const isReadReceipt = (r: { body: unknown }) => (r.body as { status?: string }).status === "read";
  const showsTyping = (r: { body: unknown }) => (r.body as { typing_indicator?: unknown }).typing_indicator !== undefined;
  const isReply = (r: { body: unknown }) => (r.body as { type?: string }).type === "text";

  it("marks the customer's message read before answering, with no typing indicator for an answer that is ready at once", async () => {
    await customerWrites("hello");
    const requests = t.whatsapp.simulator.requests;
    const read = requests.findIndex(isReadReceipt);
    expect(read).toBeGreaterThanOrEqual(0);
    expect(read).toBeLessThan(requests.findIndex(isReply));
    expect(requests[read]!.body).toEqual({ messaging_product: "whatsapp", status: "read", message_id: expect.stringMatching(/^wamid\./) });
    expect(requests.filter(showsTyping)).toEqual([]);
  });

  it("does not hold a quick answer back while Meta is slow to answer the read receipt", async () => {
    t.whatsapp.simulator.delayReadReceipts(1_000);
    try {
      const before = t.whatsapp.simulator.requests.length;
      await customerWrites("hello again");
      const requests = t.whatsapp.simulator.requests.slice(before);
      const read = requests.find(isReadReceipt);
      const reply = requests.find(isReply);
      expect(read && reply).toBeTruthy();
      // The receipt was answered a second after it arrived; the reply did not wait for that. (Waiting,
      // as before, put it a second or more after the receipt; the margin is for a loaded machine.)
      expect(reply!.receivedAt - read!.receivedAt).toBeLessThan(800);
    } finally {
      t.whatsapp.simulator.delayReadReceipts(0);
    }
  });

  it("shows typing while a slow agent thinks, and the answer does not overtake the indicator", async () => {
    await t.close();
    const builtin = createAgent({ engine: "builtin" });
    const thinking: Agent = {
      async decide(input) {
        await new Promise((resolve) => setTimeout(resolve, TYPING_AFTER_MS + 100));
        return builtin.decide(input);
      },
    };
    t = await startTestBackend({ overrides: { clock, agent: thinking } });
    t.whatsapp.simulator.delayReadReceipts(700);
    try {
      await customerWrites("hello");
      const requests = t.whatsapp.simulator.requests;
      const receipt = requests.find((r) => isReadReceipt(r) && !showsTyping(r));
      const typing = requests.find(showsTyping);
      const reply = requests.find(isReply);
      expect(receipt && typing && reply).toBeTruthy();
      expect(typing!.body).toMatchObject({ status: "read", typing_indicator: { type: "text" } });
      expect(typing!.receivedAt - receipt!.receivedAt).toBeGreaterThanOrEqual(TYPING_AFTER_MS - 50);
      // The agent answered some 100 ms after the indicator went out, which was answered 700 ms after it
      // arrived; the reply came only after that.
      expect(reply!.receivedAt - typing!.receivedAt).toBeGreaterThanOrEqual(690);
    } finally {
      t.whatsapp.simulator.delayReadReceipts(0);
    }
  });

  it("addresses a customer known only by a business-scoped user id with `recipient`", async () => {
    const { body } = textMessage(TEST_PHONE_NUMBER_ID, { userId: "US.13491208655302741918", text: "hi", timestamp: clock.now() });
    await t.postWebhook(body);
    await t.backend.runner.idle();
    const [request] = sends();
    expect(request!.body).toMatchObject({ recipient: "US.13491208655302741918" });
    expect((request!.body as { to?: string }).to).toBeUndefined();
  });

  it("backs off and retries on Meta's rate limits (130429, 131056) until the message is accepted", async () => {
    t.whatsapp.simulator.failNextSends({ httpStatus: 400, code: 130429, message: "Rate limit hit" });
    t.whatsapp.simulator.failNextSends({ httpStatus: 400, code: 131056, message: "(Business Account, Consumer Account) pair rate limit hit" });
    const conversationId = await customerWrites("hello");
    expect((await botMessages(conversationId))[0]!.status).toBe("queued");
    for (let i = 0; i < 2; i++) {
      clock.advance(20 * 60_000);
      await t.backend.runner.idle();
    }
    expect(sends()).toHaveLength(3);
    expect(["accepted", "sent", "delivered", "read"]).toContain((await botMessages(conversationId))[0]!.status);
  });

  it("fails a message Meta refuses with 131047 (window closed) without retrying", async () => {
    t.whatsapp.simulator.failNextSends({ httpStatus: 400, code: 131047, message: "Re-engagement message", details: "More than 24 hours have passed" });
    const conversationId = await customerWrites("hello");
    clock.advance(60 * 60_000);
    await t.backend.runner.idle();
    expect(sends()).toHaveLength(1);
    const [message] = await botMessages(conversationId);
    expect(message).toMatchObject({ status: "failed", errors: [expect.objectContaining({ reason: "window_closed", code: 131047 })] });
  });

  it("stops sending and raises an alert when Meta refuses the token (190), and resumes once it is replaced", async () => {
    t.whatsapp.simulator.failNextSends({ httpStatus: 401, code: 190, message: "Error validating access token: Session has expired" });
    const conversationId = await customerWrites("hello");
    const number = await t.backend.store.findWhatsAppNumber(TEST_PHONE_NUMBER_ID);
    expect(number!.sendingPausedReason).toBe("token_invalid");
    const alerts = await t.backend.store.listAlerts(TENANT, 10);
    expect(alerts.map((a) => a.kind)).toContain("whatsapp_token_invalid");
    expect(JSON.stringify(alerts)).not.toContain(TEST_ACCESS_TOKEN);

    // While paused, nothing is sent, however much time passes.
    clock.advance(10 * 60_000);
    await t.backend.runner.idle();
    expect(sends()).toHaveLength(1);
    expect((await botMessages(conversationId))[0]!.status).toBe("queued");

    // An admin connects a new token: the paused message goes out.
    await t.backend.store.setSendingPaused(TENANT, TEST_PHONE_NUMBER_ID, null);
    clock.advance(10 * 60_000);
    await t.backend.runner.idle();
    expect(sends()).toHaveLength(2);
    expect((await botMessages(conversationId))[0]!.status).not.toBe("queued");
  });

  it("refuses free text outside the 24-hour window with a clear error, and allows a template", async () => {
    const conversationId = await customerWrites("hello");
    clock.advance(25 * 60 * 60_000);
    const conversation = (await t.backend.store.getConversation(TENANT, conversationId))!;
    const attempt = t.backend.store.transaction((tx) => queueOutbound(tx, { conversation, sender: "human", purpose: "reply", content: { type: "text", text: { body: "Following up" } }, now: clock.now() }));
    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "window_closed", message: expect.stringMatching(/template/) });

    await t.backend.store.transaction((tx) =>
      queueOutbound(tx, { conversation, sender: "human", purpose: "business_initiated", content: { type: "template", template: { name: "follow_up", language: { code: "en_US" } } }, now: clock.now() }),
    );
    await t.backend.runner.idle();
    expect(sends().at(-1)!.body).toMatchObject({ type: "template", template: { name: "follow_up" } });
  });

  it("does not send a queued free-text message once the window has closed in the meantime", async () => {
    const conversationId = await customerWrites("hello");
    const conversation = (await t.backend.store.getConversation(TENANT, conversationId))!;
    await t.backend.runner.stop();
    const message = await t.backend.store.transaction((tx) => queueOutbound(tx, { conversation, sender: "human", purpose: "reply", content: { type: "text", text: { body: "Late reply" } }, now: clock.now() }));
    clock.advance(25 * 60 * 60_000);
    t.backend.runner.start();
    await t.backend.runner.idle();
    expect(sends().some((r) => JSON.stringify(r.body).includes("Late reply"))).toBe(false);
    expect(await t.backend.store.getMessage(TENANT, message.seq)).toMatchObject({ status: "failed", errors: [expect.objectContaining({ reason: "window_closed" })] });
  });
});
