/**
 * With no debounce window, a customer message runs webhook → reply → send in one worker, each step
 * handing the next what it already holds: the reply starts from the conversation as the message's
 * transaction committed it, and the send from the message the reply queued. Neither reads them again.
 * A reply that was not handed over (debounced, or run again from the queue) still reads for itself.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import { postgresAvailable } from "../support/postgres.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { textMessage } from "../support/webhooks.js";

const stores = ["sqlite", "postgres"] as const;

/** Counts the reads the reply and send steps make when nothing is handed to them; they still read the store. */
function countReads(store: SqlStore): { conversation: () => number; message: () => number } {
  let conversation = 0;
  let message = 0;
  const readConversation = store.getConversationWithContact.bind(store);
  const readMessage = store.getMessageForSending.bind(store);
  // The reply's read asks for the latest messages (the embedded store then reads the rest through this same method).
  store.getConversationWithContact = (tenantId, conversationId, options) => {
    if (options?.recentMessages) conversation++;
    return readConversation(tenantId, conversationId, options);
  };
  store.getMessageForSending = (...args) => (message++, readMessage(...args));
  return { conversation: () => conversation, message: () => message };
}

describe.each(stores)("reply hand-off reads (%s)", (kind) => {
  let t: TestBackend | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  const repliesTo = (waId: string) => t!.whatsapp.simulator.requests.filter((r) => (r.body as { to?: string; type?: string } | null)?.to === waId && (r.body as { type?: string }).type === "text");

  async function customerWrites(waId: string, text: string): Promise<void> {
    const { body } = textMessage(TEST_PHONE_NUMBER_ID, { from: waId, text });
    expect((await t!.postWebhook(body)).status).toBe(200);
  }

  it("answers a new message without reading the conversation or the queued reply again", async (context) => {
    if (kind === "postgres" && !(await postgresAvailable())) return context.skip();
    t = await startTestBackend({ store: kind });
    const reads = countReads(t.backend.store);
    for (const [i, waId] of ["16505550301", "16505550302"].entries()) {
      await customerWrites(waId, i === 0 ? "Hello!" : "Hi there");
      await t.backend.runner.idle();
      expect(repliesTo(waId)).toHaveLength(1);
    }
    // The same customer again, in the conversation that now holds the first exchange.
    await customerWrites("16505550301", "We are 12 people in sales");
    await t.backend.runner.idle();
    expect(repliesTo("16505550301")).toHaveLength(2);
    expect(reads.conversation()).toBe(0);
    expect(reads.message()).toBe(0);

    // What the reply was handed held the whole conversation: its answered-through mark covers every message.
    const [conversation] = await t.backend.store.findConversationsByPhone("default", "+16505550301");
    const all = await t.backend.store.listMessages("default", conversation!.id);
    expect(all.map((m) => m.direction)).toEqual(["inbound", "outbound", "inbound", "outbound"]);
    const latest = await t.backend.store.getConversation("default", conversation!.id);
    expect(latest!.answeredThroughSeq).toBe(Math.max(...all.filter((m) => m.direction === "inbound").map((m) => m.seq)));
  });

  it("reads for itself when the reply is not handed over (a debounce window)", async (context) => {
    if (kind === "postgres" && !(await postgresAvailable())) return context.skip();
    t = await startTestBackend({ store: kind, env: { REPLY_DEBOUNCE_MS: "50", REPLY_MAX_WAIT_MS: "50" } });
    const reads = countReads(t.backend.store);
    await customerWrites("16505550303", "Hello");
    await expect.poll(() => repliesTo("16505550303").length, { timeout: 5_000 }).toBe(1);
    await t.backend.runner.idle();
    expect(reads.conversation()).toBe(1);
    // The send is still handed over by the reply.
    expect(reads.message()).toBe(0);
  });
});
