/**
 * A customer whose WhatsApp identity changes stays one contact with one conversation: Meta tells us
 * with a `system` message when a customer's number changes (which also regenerates their
 * business-scoped user id, BSUID) or when the BSUID alone changes; a customer with a username may be
 * known by nothing but that BSUID, so missing the change would split them into a stranger.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { startTestBackend, TEST_PHONE_NUMBER_ID, type TestBackend } from "../support/backend.js";
import { envelope, newWamid, textMessage } from "../support/webhooks.js";

const TENANT = "default";

describe("a customer's changing identity", () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend();
    // The bot answers these questions from the knowledge, so it is still the one replying after the change.
    await t.backend.store.transaction((tx) => tx.replaceKnowledge(TENANT, demoKnowledge, Date.now()));
  });
  afterAll(async () => t?.close());

  const post = async (body: string) => {
    expect((await t.postWebhook(body)).status).toBe(200);
    await t.backend.runner.idle();
  };
  const writes = (sender: { from?: string; userId?: string }, text: string) => post(textMessage(TEST_PHONE_NUMBER_ID, { ...sender, name: "Noor", text }).body);
  /** A system notice as Meta sends it: no contacts array; the new values in `system`, the previous user id beside them. */
  const notice = (sender: { from?: string; fromUserId?: string }, system: Record<string, string>) =>
    post(
      envelope(TEST_PHONE_NUMBER_ID, {
        messages: [
          {
            ...(sender.from ? { from: sender.from } : {}),
            ...(sender.fromUserId ? { from_user_id: sender.fromUserId } : {}),
            id: newWamid(),
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: "system",
            system: { body: "User Noor changed", ...system },
          },
        ],
      }),
    );

  async function conversationsOf(match: (contact: { waId: string | null; userId: string | null }) => boolean) {
    const found = [];
    for (const conversation of await t.backend.store.listConversations(TENANT, 1000)) {
      const contact = await t.backend.store.getContact(TENANT, conversation.contactId);
      if (contact && match(contact)) found.push({ conversation, contact });
    }
    return found;
  }
  const lastSendTo = () => {
    const sends = t.whatsapp.simulator.requests.filter((r) => r.path.endsWith("/messages") && (r.body as { type?: string }).type === "text");
    const body = sends.at(-1)!.body as { to?: string; recipient?: string };
    return body.to ?? body.recipient;
  };

  it("follows a changed business-scoped user id: one contact, one conversation, answers to the new id", async () => {
    for (const [label, sender] of [
      ["named in system only", {}],
      ["also named by from_user_id", { fromUserId: "US.noor-old-b" }],
    ] as const) {
      const [previous, next] = label === "named in system only" ? ["US.noor-old-a", "US.noor-new-a"] : ["US.noor-old-b", "US.noor-new-b"];
      await writes({ userId: previous }, "Hi, do you integrate with HubSpot?");
      expect(lastSendTo(), label).toBe(previous);
      const [before] = await conversationsOf((c) => c.userId === previous);
      expect(before, label).toBeDefined();

      await notice(sender, { type: "user_changed_user_id", previous_user_id: previous, user_id: next });
      await writes({ userId: next }, "And with Salesforce?");

      const after = await conversationsOf((c) => c.userId === next || c.userId === previous);
      expect(after.map((a) => a.conversation.id), label).toEqual([before!.conversation.id]);
      expect(after[0]!.contact, label).toMatchObject({ id: before!.contact.id, userId: next });
      expect(lastSendTo(), label).toBe(next);
      const messages = await t.backend.store.listMessages(TENANT, before!.conversation.id);
      expect(messages.filter((m) => m.direction === "inbound").map((m) => m.type), label).toEqual(["text", "system", "text"]);
    }
  });

  it("follows a changed number and the user id Meta regenerated with it, whichever of the two the customer writes with next", async () => {
    await writes({ from: "4915112345001", userId: "DE.rafa-old" }, "Hello, what does the Pro plan include?");
    const [before] = await conversationsOf((c) => c.waId === "4915112345001");
    expect(before!.contact.userId).toBe("DE.rafa-old");

    await notice({ from: "4915112345001" }, { type: "user_changed_number", wa_id: "4915112345002", user_id: "DE.rafa-new", previous_user_id: "DE.rafa-old" });
    expect(await t.backend.store.getContact(TENANT, before!.contact.id)).toMatchObject({ waId: "4915112345002", phoneE164: "+4915112345002", userId: "DE.rafa-new" });

    await writes({ from: "4915112345002", userId: "DE.rafa-new" }, "Is there a yearly price?");
    await writes({ userId: "DE.rafa-new" }, "I turned on a username, can you still see me?");
    const after = await conversationsOf((c) => ["4915112345001", "4915112345002"].includes(c.waId ?? "") || ["DE.rafa-old", "DE.rafa-new"].includes(c.userId ?? ""));
    expect(after.map((a) => a.contact.id)).toEqual([before!.contact.id]);
    expect(after.map((a) => a.conversation.id)).toEqual([before!.conversation.id]);
  });

  it("does not fold two customers into one when the new user id is already someone else's", async () => {
    await writes({ userId: "US.kim" }, "Hi");
    await writes({ userId: "US.lee" }, "Hello");
    await notice({}, { type: "user_changed_user_id", previous_user_id: "US.kim", user_id: "US.lee" });
    const kim = await conversationsOf((c) => c.userId === "US.kim");
    const lee = await conversationsOf((c) => c.userId === "US.lee");
    expect(kim).toHaveLength(1);
    expect(lee).toHaveLength(1);
    expect(kim[0]!.contact.id).not.toBe(lee[0]!.contact.id);
  });
});
