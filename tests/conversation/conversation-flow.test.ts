/**
 * The inbound side of a conversation: duplicates, bursts, per-item isolation, out-of-order statuses,
 * and the bot's silence once a human is asked for.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Agent, AgentDecision, AgentInput } from "../../backend/src/domain/agent.js";
import { createAgent } from "../../backend/src/agent/create-agent.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { splitWebhook } from "../../backend/src/adapters/whatsapp/webhook-items.js";
import { jobKinds } from "../../backend/src/jobs/job-kinds.js";
import { envelope, newWamid, statusUpdate, textMessage } from "../support/webhooks.js";

const TENANT = "default";

/** An agent that remembers what it was asked, then answers as the built-in engine does. */
class RecordingAgent implements Agent {
  readonly inputs: AgentInput[] = [];
  /** Runs while the agent "thinks", before it answers. */
  whileDeciding: ((input: AgentInput) => Promise<void>) | null = null;
  private readonly inner = createAgent({ engine: "builtin" });
  async decide(input: AgentInput): Promise<AgentDecision> {
    this.inputs.push(input);
    await this.whileDeciding?.(input);
    return this.inner.decide(input);
  }
}

describe("conversation flow", () => {
  let t: TestBackend;
  let agent: RecordingAgent;
  const start = async (env: Record<string, string> = {}) => {
    agent = new RecordingAgent();
    t = await startTestBackend({ env, overrides: { agent } });
  };
  afterEach(async () => t?.close());

  const outbound = async () => {
    const conversations = await t.backend.store.listConversations(TENANT, 50);
    const all = await Promise.all(conversations.map((c) => t.backend.store.listMessages(TENANT, c.id)));
    return all.flat().filter((m) => m.direction === "outbound");
  };

  describe("with an immediate reply", () => {
    beforeEach(() => start());

    it("stores a message redelivered concurrently in different bodies once and answers it once", async () => {
      const wamid = newWamid();
      const bodies = Array.from({ length: 6 }, (_, i) => textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550001", text: "hello", wamid, name: `Name ${i}` }).body);
      const responses = await Promise.all(bodies.map((body) => t.postWebhook(body)));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await t.backend.runner.idle();
      const [conversation] = await t.backend.store.listConversations(TENANT, 5);
      const messages = await t.backend.store.listMessages(TENANT, conversation!.id);
      expect(messages.filter((m) => m.direction === "inbound")).toHaveLength(1);
      expect(messages.filter((m) => m.direction === "outbound")).toHaveLength(1);
      expect(agent.inputs).toHaveLength(1);
    });

    it("processes a body redelivered with the same bytes once: one message, one reply, one channel event", async () => {
      const wamid = newWamid();
      const message = JSON.parse(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550009", text: "hello again", wamid }).body);
      // A change of a field we do not know is kept as a channel event: a second processing would keep it twice.
      message.entry[0].changes.push({ field: "brand_new_field", value: { anything: 1 } });
      const body = JSON.stringify(message);
      const responses = await Promise.all(Array.from({ length: 4 }, () => t.postWebhook(body)));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      await t.backend.runner.idle();
      expect((await t.postWebhook(body)).status).toBe(200);
      await t.backend.runner.idle();
      const [conversation] = await t.backend.store.listConversations(TENANT, 5);
      const messages = await t.backend.store.listMessages(TENANT, conversation!.id);
      expect(messages.map((m) => m.direction)).toEqual(["inbound", "outbound"]);
      const unknown = (await t.backend.store.listChannelEvents(null, 50)).filter((e) => e.kind === "unknown_field" && e.title === "brand_new_field");
      expect(unknown).toHaveLength(1);
      const metrics = await (await fetch(`${t.backend.url}/metrics`)).text();
      expect(metrics).toMatch(/^whatsapp_webhook_redeliveries_total 4$/m);
    });

    it("handles each item of a batch on its own: a bad item is kept, the good ones land", async () => {
      const good = [newWamid(), newWamid()];
      const now = String(Math.floor(Date.now() / 1000));
      const withContact = JSON.parse(
        envelope(TEST_PHONE_NUMBER_ID, {
          contacts: [{ profile: { name: "A" }, wa_id: "16505550002" }],
          messages: [
            { from: "16505550002", id: good[0], timestamp: now, type: "text", text: { body: "first" } },
            { id: 42, type: "text" },
            { from: "16505550002", id: good[1], timestamp: now, type: "brand_new_type", brand_new_type: { x: 1 } },
          ],
          statuses: [{ status: "sent" }],
        }),
      );
      // A second change whose message names no sender at all: it cannot be attributed to anyone.
      const orphan = JSON.parse(envelope(TEST_PHONE_NUMBER_ID, { messages: [{ id: "wamid.no-sender", timestamp: now, type: "text", text: { body: "who am I" } }] }));
      withContact.entry[0].changes.push(orphan.entry[0].changes[0]);
      const body = JSON.stringify(withContact);
      expect((await t.postWebhook(body)).status).toBe(200);
      await t.backend.runner.idle();
      for (const id of good) expect(await t.backend.store.findMessageByWamid(TENANT, id)).not.toBeNull();
      expect((await t.backend.store.findMessageByWamid(TENANT, good[1]!))!).toMatchObject({ type: "brand_new_type", text: "[brand_new_type]" });
      const malformed = (await t.backend.store.listChannelEvents(TENANT, 20)).filter((e) => e.kind === "malformed");
      // Newest first: the status item was kept after the message item.
      expect(malformed.map((e) => e.title)).toEqual([expect.stringMatching(/statuses\[0\]/), expect.stringMatching(/messages\[1\]/)]);
      const dead = await t.backend.store.jobs.listDead(10);
      expect(dead.map((d) => [d.kind, d.lastError])).toEqual([["webhook.item", expect.stringMatching(/no sender/)]]);
    });

    it("handles a lone message in the job that processes its webhook, but behind its sender's earlier messages still queued", async () => {
      const from = "16505550011";
      const itemJobs = async () => Number((await (await fetch(`${t.backend.url}/metrics`)).text()).match(/^jobs_finished_total\{kind="webhook\.item",outcome="done"\} (\d+)$/m)?.[1] ?? 0);
      const lone = textMessage(TEST_PHONE_NUMBER_ID, { from, text: "hello" });
      await t.postWebhook(lone.body);
      await t.backend.runner.idle();
      expect(await t.backend.store.findMessageByWamid(TENANT, lone.wamid)).not.toBeNull();
      expect(await itemJobs()).toBe(0);

      // An earlier message of the same sender still waits in its lane (as a batch's items do, or a retry):
      // the next lone message must not overtake it.
      const earlier = textMessage(TEST_PHONE_NUMBER_ID, { from, text: "first" });
      const [item] = splitWebhook(JSON.parse(earlier.body)).items;
      await t.backend.store.jobs.enqueue({
        kind: jobKinds.webhookItem,
        tenantId: TENANT,
        lane: `contact:${TEST_PHONE_NUMBER_ID}:${from}`,
        payload: { tenantId: TENANT, item },
        runAt: Date.now() + 300,
      });
      const later = textMessage(TEST_PHONE_NUMBER_ID, { from, text: "second" });
      await t.postWebhook(later.body);
      await t.backend.runner.idle();
      const first = await t.backend.store.findMessageByWamid(TENANT, earlier.wamid);
      const second = await t.backend.store.findMessageByWamid(TENANT, later.wamid);
      expect(first!.seq).toBeLessThan(second!.seq);
      expect(await itemJobs()).toBe(2);
    });

    it("moves delivery statuses forward only, whatever order they arrive in", async () => {
      await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550003", text: "hello" }).body);
      await t.backend.runner.idle();
      const [reply] = await outbound();
      await expect.poll(async () => (await t.backend.store.getMessage(TENANT, reply!.seq))!.status).toBe("read");
      for (const status of ["sent", "delivered"]) {
        await t.postWebhook(statusUpdate(TEST_PHONE_NUMBER_ID, { wamid: reply!.wamid!, status, recipient: "16505550003" }));
      }
      await t.backend.runner.idle();
      expect((await t.backend.store.getMessage(TENANT, reply!.seq))!.status).toBe("read");
      const errors = [{ code: 131026, title: "Message undeliverable", message: "Message undeliverable", error_data: { details: "Recipient is not a WhatsApp user" } }];
      await t.postWebhook(statusUpdate(TEST_PHONE_NUMBER_ID, { wamid: reply!.wamid!, status: "failed", recipient: "16505550003", errors }));
      await t.postWebhook(statusUpdate(TEST_PHONE_NUMBER_ID, { wamid: reply!.wamid!, status: "delivered", recipient: "16505550003", at: Date.now() + 5000 }));
      await t.backend.runner.idle();
      expect(await t.backend.store.getMessage(TENANT, reply!.seq)).toMatchObject({ status: "failed", errors });
    });

    it("applies a webhook of a single status in the processing job itself, and one of several statuses item by item", async () => {
      await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550004", text: "hello" }).body);
      await t.backend.runner.idle();
      const [reply] = await outbound();
      const itemJobs = async () => Number((await (await fetch(`${t.backend.url}/metrics`)).text()).match(/^jobs_finished_total\{kind="webhook\.item",outcome="done"\} (\d+)$/m)?.[1] ?? 0);
      const before = await itemJobs();
      await t.postWebhook(statusUpdate(TEST_PHONE_NUMBER_ID, { wamid: reply!.wamid!, status: "delivered", recipient: "16505550004" }));
      await t.backend.runner.idle();
      expect((await t.backend.store.getMessage(TENANT, reply!.seq))!.status).toMatch(/^(delivered|read)$/);
      expect(await itemJobs()).toBe(before);
      // Two statuses in one body: each is its own item, so one failing cannot drop the other.
      const two = JSON.parse(statusUpdate(TEST_PHONE_NUMBER_ID, { wamid: reply!.wamid!, status: "read", recipient: "16505550004" }));
      two.entry[0].changes[0].value.statuses.push({ ...two.entry[0].changes[0].value.statuses[0], id: "wamid.unknown-to-us" });
      await t.postWebhook(JSON.stringify(two));
      await t.backend.runner.idle();
      expect((await t.backend.store.getMessage(TENANT, reply!.seq))!.status).toBe("read");
      expect(await itemJobs()).toBe(before + 2);
    });

    it("stores a message Meta redelivers days late but does not answer it with free text", async () => {
      const twoDaysAgo = Date.now() - 2 * 24 * 60 * 60_000;
      const { wamid, body } = textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550008", text: "still there?", timestamp: twoDaysAgo });
      expect((await t.postWebhook(body)).status).toBe(200);
      await t.backend.runner.idle();
      expect(await t.backend.store.findMessageByWamid(TENANT, wamid)).not.toBeNull();
      expect(await outbound()).toEqual([]);
      expect(await t.backend.store.jobs.listDead(10)).toEqual([]);
    });

    it("says and saves nothing when a person takes the conversation over while the agent is deciding", async () => {
      agent.whileDeciding = (input) => t.backend.store.setConversationMode(input.tenantId, input.conversationId, "human", Date.now());
      await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550012", text: "Hello there" }).body);
      await t.backend.runner.idle();
      expect(agent.inputs).toHaveLength(1);
      const [conversation] = await t.backend.store.listConversations(TENANT, 1);
      expect(conversation).toMatchObject({ mode: "human", answeredThroughSeq: 0, agent: { language: null, lastIntent: null } });
      expect(await outbound()).toEqual([]);
      expect(await t.backend.store.jobs.listDead(10)).toEqual([]);
    });

    it("goes silent after a handoff: the notice is sent, later messages get no bot reply", async () => {
      await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550004", text: "I want to talk to a person" }).body);
      await t.backend.runner.idle();
      const [conversation] = await t.backend.store.listConversations(TENANT, 1);
      expect(conversation!.mode).toBe("waiting");
      expect((await outbound()).map((m) => m.text)).toEqual([expect.stringMatching(/member of our team/)]);
      await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550004", text: "hello? anyone?" }).body);
      await t.backend.runner.idle();
      expect(await outbound()).toHaveLength(1);
      expect(agent.inputs).toHaveLength(1);
    });
  });

  describe("with a debounce window", () => {
    beforeEach(() => start({ REPLY_DEBOUNCE_MS: "400", REPLY_MAX_WAIT_MS: "5000" }));

    it("answers a burst of messages once, as a whole", async () => {
      for (const text of ["Hi", "I need a CRM integration", "for 20 people"]) {
        expect((await t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from: "16505550005", text }).body)).status).toBe(200);
      }
      await expect.poll(async () => (await outbound()).length, { timeout: 5000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await outbound()).toHaveLength(1);
      expect(agent.inputs).toHaveLength(1);
      expect(agent.inputs[0]!.pending.map((turn) => turn.text)).toEqual(["Hi", "I need a CRM integration", "for 20 people"]);
    });

    it("answers different customers independently", async () => {
      await Promise.all(["16505550006", "16505550007"].map((from) => t.postWebhook(textMessage(TEST_PHONE_NUMBER_ID, { from, text: "Hello" }).body)));
      await expect.poll(async () => (await outbound()).length, { timeout: 5000 }).toBe(2);
    });
  });
});
