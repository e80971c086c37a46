/**
 * Schema readiness, tenants and their numbers, contacts and conversations.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../backend/src/adapters/store/migrations.js";
import type { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { ContactIdentity } from "../../backend/src/domain/ports/store.js";
import type { Handoff, HandoffStatus } from "../../backend/src/domain/ports/handoffs.js";
import { buildHandoffSummary } from "../../backend/src/domain/agent/summary.js";
import { startSla } from "../../backend/src/domain/handoff/sla.js";
import { ZInboxSettings, ZQualification } from "@salesbot/shared";
import { startTsChild, waitForOutput } from "../support/child.js";
import type { MakeStore, StoreHarness } from "../support/stores.js";
import { seedTenant, T0, uniqueWaId } from "./store-seed.js";

const identity = (fields: Partial<ContactIdentity>): ContactIdentity => ({
  waId: null,
  userId: null,
  parentUserId: null,
  profileName: null,
  username: null,
  ...fields,
});

export function migrationContract(makeStore: MakeStore): void {
  describe("migrations", () => {
    const countApplied = async (h: StoreHarness) => Number((await h.sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM schema_migrations`))[0]?.n);

    it("reports pending migrations on an empty database and none once migrated; migrating again is a no-op", async () => {
      const h = await makeStore();
      try {
        expect(await h.store.pendingMigrations()).toBe(migrations.length);
        expect(await h.store.migrate(T0)).toEqual(migrations.map((m) => m.version));
        expect(await h.store.pendingMigrations()).toBe(0);
        expect(await h.store.migrate(T0 + 1)).toEqual([]);
        expect(await countApplied(h)).toBe(migrations.length);
        await h.store.ping();
      } finally {
        await h.cleanup();
      }
    });

    it("applies each migration once when instances start together, in two processes and two pools", async () => {
      const h = await makeStore();
      // In one process a second SQLite connection would wait synchronously for a lock that the first
      // can only release on the same, blocked, thread; so SQLite's second instance is another process.
      const child = startTsChild("tests/contract/migrate-child.ts", [h.location.engine, h.location.target]);
      try {
        await waitForOutput(child, /ready/);
        const here = h.location.engine === "postgres" ? [h.store, h.openStore()] : [h.store];
        child.process.stdin?.write("go\n");
        const applied = await Promise.all(here.map((s) => s.migrate(T0)));
        const exit = await child.exited;
        expect(exit.code, exit.stderr).toBe(0);
        applied.push((JSON.parse(exit.stdout.match(/^\{.*\}$/m)![0]) as { applied: number[] }).applied);
        expect(applied.flat().sort((a, b) => a - b)).toEqual(migrations.map((m) => m.version));
        expect(await h.store.pendingMigrations()).toBe(0);
        expect(await countApplied(h)).toBe(migrations.length);
      } finally {
        child.process.kill("SIGKILL");
        await h.cleanup();
      }
    });
  });
}

export function identityContract(getHarness: () => StoreHarness): void {
  let store: SqlStore;
  beforeAll(() => {
    store = getHarness().store;
  });

  describe("tenants and WhatsApp numbers", () => {
    it("keeps the access token encrypted at rest and decrypts it on read", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const token = "EAAG-plaintext-access-token-42";
      await store.upsertWhatsAppNumber({ tenantId, phoneNumberId, displayPhoneNumber: "15550001111", accessToken: token });
      const [row] = await getHarness().sql.all<{ access_token_enc: string }>(`SELECT access_token_enc FROM whatsapp_numbers WHERE phone_number_id = ?`, [phoneNumberId]);
      expect(row?.access_token_enc).toBeTruthy();
      expect(row!.access_token_enc).not.toContain(token);
      expect(getHarness().secrets.open(row!.access_token_enc)).toBe(token);
      expect(await store.findWhatsAppNumber(phoneNumberId)).toEqual({ tenantId, phoneNumberId, displayPhoneNumber: "15550001111", accessToken: token, sendingPausedReason: null, businessAccountId: null });
    });

    it("stores a number without a token as null and finds nothing for an unknown number", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      await store.upsertWhatsAppNumber({ tenantId, phoneNumberId, displayPhoneNumber: null, accessToken: null });
      expect((await store.findWhatsAppNumber(phoneNumberId))?.accessToken).toBeNull();
      expect(await store.findWhatsAppNumber("no-such-number")).toBeNull();
    });

    it("pauses sending only for the tenant that owns the number", async () => {
      const a = await seedTenant(store);
      const b = await seedTenant(store);
      await store.setSendingPaused(b.tenantId, a.phoneNumberId, "token_invalid");
      expect((await store.findWhatsAppNumber(a.phoneNumberId))?.sendingPausedReason).toBeNull();
      await store.setSendingPaused(a.tenantId, a.phoneNumberId, "token_invalid");
      expect((await store.findWhatsAppNumber(a.phoneNumberId))?.sendingPausedReason).toBe("token_invalid");
      await store.setSendingPaused(a.tenantId, a.phoneNumberId, null);
      expect((await store.findWhatsAppNumber(a.phoneNumberId))?.sendingPausedReason).toBeNull();
    });
  });

  describe("contacts", () => {
    it("finds the same person by wa_id or by BSUID user_id, filling in fields and never erasing them", async () => {
      const { tenantId } = await seedTenant(store);
      const waId = uniqueWaId();
      const first = await store.upsertContact(tenantId, identity({ waId, profileName: "Ana" }), T0);
      expect(first).toMatchObject({ waId, userId: null, profileName: "Ana", phoneE164: `+${waId}`, optedOut: false });

      const linked = await store.upsertContact(tenantId, identity({ waId, userId: "US.ana", username: "ana_b" }), T0 + 1);
      expect(linked).toMatchObject({ id: first.id, waId, userId: "US.ana", profileName: "Ana", username: "ana_b" });

      const byUserOnly = await store.upsertContact(tenantId, identity({ userId: "US.ana", profileName: "Ana Beatriz" }), T0 + 2);
      expect(byUserOnly).toMatchObject({ id: first.id, waId, userId: "US.ana", profileName: "Ana Beatriz", username: "ana_b", phoneE164: `+${waId}` });
      expect(byUserOnly.updatedAt).toBe(T0 + 2);
      expect(await store.getContact(tenantId, first.id)).toEqual(byUserOnly);
    });

    it("writes nothing for a known contact whose message tells nothing new, and takes what is new", async () => {
      const { tenantId } = await seedTenant(store);
      const waId = uniqueWaId();
      const first = await store.upsertContact(tenantId, identity({ waId, profileName: "Caio" }), T0);
      const same = await store.upsertContact(tenantId, identity({ waId, profileName: "Caio" }), T0 + 5);
      const lessInfo = await store.upsertContact(tenantId, identity({ waId }), T0 + 6);
      expect(same).toEqual(first);
      expect(lessInfo).toEqual(first);
      expect(await store.getContact(tenantId, first.id)).toMatchObject({ updatedAt: T0, profileName: "Caio" });
      const renamed = await store.upsertContact(tenantId, identity({ waId, profileName: "Caio S." }), T0 + 7);
      expect(renamed).toMatchObject({ id: first.id, profileName: "Caio S.", updatedAt: T0 + 7 });
      const withUser = await store.upsertContact(tenantId, identity({ waId, userId: "US.caio" }), T0 + 8);
      expect(withUser).toMatchObject({ id: first.id, userId: "US.caio", profileName: "Caio S.", updatedAt: T0 + 8 });
    });

    it("starts a contact from a user_id alone and adds the phone when a wa_id shows up", async () => {
      const { tenantId } = await seedTenant(store);
      const bsuidOnly = await store.upsertContact(tenantId, identity({ userId: "US.bruno", parentUserId: "US.parent" }), T0);
      expect(bsuidOnly).toMatchObject({ waId: null, phoneE164: null, parentUserId: "US.parent" });
      const waId = uniqueWaId();
      const withPhone = await store.upsertContact(tenantId, identity({ userId: "US.bruno", waId }), T0 + 1);
      expect(withPhone).toMatchObject({ id: bsuidOnly.id, waId, phoneE164: `+${waId}`, parentUserId: "US.parent" });
    });

    it("refuses a contact with neither id and leaves the phone empty for a wa_id that is not a number", async () => {
      const { tenantId } = await seedTenant(store);
      await expect(store.upsertContact(tenantId, identity({ profileName: "Nobody" }), T0)).rejects.toThrow();
      const odd = await store.upsertContact(tenantId, identity({ waId: "12345" }), T0);
      expect(odd.phoneE164).toBeNull();
    });

    it("does not fail when a message names two ids that belong to two known contacts", async () => {
      const { tenantId } = await seedTenant(store);
      const waId = uniqueWaId();
      const byPhone = await store.upsertContact(tenantId, identity({ waId }), T0);
      const byUser = await store.upsertContact(tenantId, identity({ userId: "US.split" }), T0 + 1);
      const both = await store.upsertContact(tenantId, identity({ waId, userId: "US.split", profileName: "Split" }), T0 + 2);
      expect([byPhone.id, byUser.id]).toContain(both.id);
      // Each id still leads to exactly one contact.
      expect((await store.upsertContact(tenantId, identity({ waId }), T0 + 3)).id).toBe(byPhone.id);
      expect((await store.upsertContact(tenantId, identity({ userId: "US.split" }), T0 + 3)).id).toBe(byUser.id);
    });

    it("creates one contact when the same new customer is upserted concurrently", async () => {
      const { tenantId } = await seedTenant(store);
      const waId = uniqueWaId();
      const contacts = await Promise.all(Array.from({ length: 10 }, (_, i) => store.transaction((tx) => tx.upsertContact(tenantId, identity({ waId }), T0 + i))));
      expect(new Set(contacts.map((c) => c.id)).size).toBe(1);
    });

    it("moves a contact to its new number, keeping its id, unless the new number is already someone's", async () => {
      const { tenantId } = await seedTenant(store);
      const [oldWaId, newWaId] = [uniqueWaId(), uniqueWaId()];
      const contact = await store.upsertContact(tenantId, identity({ waId: oldWaId, profileName: "Caio" }), T0);
      await store.changeContactWaId(tenantId, oldWaId, newWaId, T0 + 5);
      expect(await store.getContact(tenantId, contact.id)).toMatchObject({ waId: newWaId, phoneE164: `+${newWaId}`, profileName: "Caio", updatedAt: T0 + 5 });
      expect((await store.upsertContact(tenantId, identity({ waId: newWaId }), T0 + 6)).id).toBe(contact.id);

      const other = await store.upsertContact(tenantId, identity({ waId: oldWaId }), T0 + 7);
      expect(other.id).not.toBe(contact.id);
      await store.changeContactWaId(tenantId, oldWaId, newWaId, T0 + 8);
      expect((await store.getContact(tenantId, other.id))?.waId).toBe(oldWaId);
      expect((await store.getContact(tenantId, contact.id))?.waId).toBe(newWaId);
    });

    it("moves a contact to its new business-scoped user id, keeping its id, unless the new id is already someone's", async () => {
      const { tenantId } = await seedTenant(store);
      const other = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ userId: "US.old-1", parentUserId: "US.ENT.parent-1", profileName: "Ines" }), T0);
      await store.changeContactUserId(other.tenantId, "US.old-1", { userId: "US.new-1", parentUserId: null }, T0 + 1);
      expect((await store.getContact(tenantId, contact.id))?.userId).toBe("US.old-1");

      await store.changeContactUserId(tenantId, "US.old-1", { userId: "US.new-1", parentUserId: null }, T0 + 5);
      expect(await store.getContact(tenantId, contact.id)).toMatchObject({ userId: "US.new-1", parentUserId: "US.ENT.parent-1", profileName: "Ines", updatedAt: T0 + 5 });
      expect((await store.upsertContact(tenantId, identity({ userId: "US.new-1" }), T0 + 6)).id).toBe(contact.id);
      await store.changeContactUserId(tenantId, "US.new-1", { userId: "US.new-2", parentUserId: "US.ENT.parent-2" }, T0 + 7);
      expect(await store.getContact(tenantId, contact.id)).toMatchObject({ userId: "US.new-2", parentUserId: "US.ENT.parent-2" });

      const someoneElse = await store.upsertContact(tenantId, identity({ userId: "US.taken" }), T0 + 8);
      await store.changeContactUserId(tenantId, "US.new-2", { userId: "US.taken", parentUserId: null }, T0 + 9);
      expect((await store.getContact(tenantId, contact.id))?.userId).toBe("US.new-2");
      expect((await store.getContact(tenantId, someoneElse.id))?.userId).toBe("US.taken");
    });
  });

  describe("conversations", () => {
    /** A new customer's conversation, the agent state to save into it, and another tenant that must not reach it. */
    const conversationToSaveInto = async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const other = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ waId: uniqueWaId() }), T0);
      const conversation = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
      return { tenantId, other, conversation, state: { ...conversation.agent, language: "nl" as const, lastIntent: "pricing" as const } };
    };

    it("gets or creates one conversation per contact and number, also under concurrency", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ waId: uniqueWaId() }), T0);
      const first = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
      expect(first).toMatchObject({ tenantId, phoneNumberId, contactId: contact.id, mode: "bot", lastInboundAt: null, answeredThroughSeq: 0 });
      const again = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0 + 1);
      expect(again).toEqual(first);
      const parallel = await Promise.all(Array.from({ length: 10 }, () => store.transaction((tx) => tx.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0 + 2))));
      expect(new Set(parallel.map((c) => c.id))).toEqual(new Set([first.id]));
      expect((await store.listConversations(tenantId, 10)).map((c) => c.id)).toEqual([first.id]);
    });

    it("finds or creates a customer's contact and conversation in one step, as the two steps would, also under concurrency", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const other = await seedTenant(store);
      const secondNumber = `${phoneNumberId}b`;
      await store.upsertWhatsAppNumber({ tenantId, phoneNumberId: secondNumber, displayPhoneNumber: "15550002222", accessToken: "second-token" });
      const waId = uniqueWaId();

      const first = await store.upsertContactWithConversation(tenantId, identity({ waId }), phoneNumberId, T0);
      expect(first.contact).toEqual(await store.getContact(tenantId, first.contact.id));
      expect(first.contact).toMatchObject({ waId, phoneE164: `+${waId}`, profileName: null });
      expect(first.conversation).toEqual(await store.getConversation(tenantId, first.conversation.id));
      expect(first.conversation).toMatchObject({ tenantId, phoneNumberId, contactId: first.contact.id, mode: "bot", lastInboundAt: null });

      // A known customer: the same records, the contact told what is new.
      const again = await store.upsertContactWithConversation(tenantId, identity({ waId, profileName: "Dora" }), phoneNumberId, T0 + 1);
      expect(again.contact).toMatchObject({ id: first.contact.id, profileName: "Dora", updatedAt: T0 + 1 });
      expect(again.conversation).toEqual(first.conversation);

      // Another number of the tenant: the same contact, a conversation of its own. Another tenant shares neither.
      const elsewhere = await store.upsertContactWithConversation(tenantId, identity({ waId }), secondNumber, T0 + 2);
      expect(elsewhere.contact.id).toBe(first.contact.id);
      expect(elsewhere.conversation).toMatchObject({ phoneNumberId: secondNumber, contactId: first.contact.id });
      expect(elsewhere.conversation.id).not.toBe(first.conversation.id);
      const otherTenant = await store.upsertContactWithConversation(other.tenantId, identity({ waId }), other.phoneNumberId, T0 + 2);
      expect(otherTenant.contact.id).not.toBe(first.contact.id);
      expect(otherTenant.conversation).toMatchObject({ tenantId: other.tenantId, contactId: otherTenant.contact.id });

      // Two contacts met separately, one per id: the oldest answers, with its conversation.
      const byUser = await store.upsertContact(tenantId, identity({ userId: `US.${waId}` }), T0 + 3);
      const both = await store.upsertContactWithConversation(tenantId, identity({ waId, userId: `US.${waId}` }), phoneNumberId, T0 + 4);
      expect(byUser.id).not.toBe(first.contact.id);
      expect(both.contact.id).toBe(first.contact.id);
      expect(both.conversation).toEqual(first.conversation);

      // The same new customer, concurrently: one contact, one conversation.
      const newWaId = uniqueWaId();
      const parallel = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.transaction((tx) => tx.upsertContactWithConversation(tenantId, identity({ waId: newWaId }), phoneNumberId, T0 + 5 + i))),
      );
      expect(new Set(parallel.map((found) => found.contact.id)).size).toBe(1);
      expect(new Set(parallel.map((found) => found.conversation.id)).size).toBe(1);
      expect(parallel[0]!.conversation.contactId).toBe(parallel[0]!.contact.id);
    });

    it("changes mode and only moves answered-through forward", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ waId: uniqueWaId() }), T0);
      const conversation = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
      await store.setConversationMode(tenantId, conversation.id, "human", T0 + 1);
      await store.markAnsweredThrough(tenantId, conversation.id, 7, T0 + 2);
      await store.markAnsweredThrough(tenantId, conversation.id, 3, T0 + 3);
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ mode: "human", answeredThroughSeq: 7, updatedAt: T0 + 2 });
    });

    it("saves the agent's state with the answered-through mark in one write, never moving the mark back", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ waId: uniqueWaId() }), T0);
      const conversation = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
      const state = { ...conversation.agent, language: "de" as const, lastIntent: "pricing" as const };
      await store.saveAgentState(tenantId, conversation.id, state, T0 + 1, 9);
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ answeredThroughSeq: 9, updatedAt: T0 + 1, agent: { language: "de", lastIntent: "pricing" } });
      await store.saveAgentState(tenantId, conversation.id, { ...state, language: "es" }, T0 + 2, 4);
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ answeredThroughSeq: 9, agent: { language: "es" } });
      await store.saveAgentState(tenantId, conversation.id, state, T0 + 3);
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ answeredThroughSeq: 9 });
    });

    it("saves the agent's state only while the conversation is in one of the given modes, returning it as saved", async () => {
      const { tenantId, other, conversation, state } = await conversationToSaveInto();
      const saved = await store.saveAgentStateInMode(tenantId, conversation.id, state, T0 + 1, 5, ["bot", "resolved"]);
      expect(saved).toEqual(await store.getConversation(tenantId, conversation.id));
      expect(saved).toMatchObject({ mode: "bot", answeredThroughSeq: 5, updatedAt: T0 + 1, agent: { language: "nl", lastIntent: "pricing" } });
      await store.setConversationMode(tenantId, conversation.id, "human", T0 + 2);
      expect(await store.saveAgentStateInMode(tenantId, conversation.id, { ...state, language: "es" }, T0 + 3, 9, ["bot", "resolved"])).toBeNull();
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ mode: "human", answeredThroughSeq: 5, updatedAt: T0 + 2, agent: { language: "nl" } });
      expect(await store.saveAgentStateInMode(other.tenantId, conversation.id, state, T0 + 4, 9, ["human"])).toBeNull();
      expect(await store.saveAgentStateInMode(tenantId, conversation.id, { ...state, language: "es" }, T0 + 5, 3, ["human"])).toMatchObject({ answeredThroughSeq: 5, agent: { language: "es" } });
    });

    it("saves the agent's state and its reply together, or, out of the given modes or for another tenant, neither", async () => {
      const { tenantId, other, conversation, state } = await conversationToSaveInto();
      const reply = { sender: "bot" as const, type: "text", text: "Hallo!", payload: { type: "text", text: { body: "Hallo!" } } };

      const saved = await store.saveAgentStateWithReply(tenantId, conversation.id, state, T0 + 1, 5, ["bot", "resolved"], reply);
      expect(saved?.conversation).toEqual(await store.getConversation(tenantId, conversation.id));
      expect(saved?.conversation).toMatchObject({ mode: "bot", answeredThroughSeq: 5, updatedAt: T0 + 1, agent: { language: "nl", lastIntent: "pricing" } });
      expect(saved?.message).toEqual(await store.getMessage(tenantId, saved!.message.seq));
      expect(saved?.message).toMatchObject({ tenantId, conversationId: conversation.id, direction: "outbound", sender: "bot", type: "text", text: "Hallo!", payload: reply.payload, status: "queued", wamid: null, createdAt: T0 + 1 });

      await store.setConversationMode(tenantId, conversation.id, "human", T0 + 2);
      expect(await store.saveAgentStateWithReply(tenantId, conversation.id, { ...state, language: "es" }, T0 + 3, 9, ["bot", "resolved"], reply)).toBeNull();
      expect(await store.saveAgentStateWithReply(other.tenantId, conversation.id, state, T0 + 4, 9, ["human"], reply)).toBeNull();
      expect(await store.getConversation(tenantId, conversation.id)).toMatchObject({ mode: "human", answeredThroughSeq: 5, updatedAt: T0 + 2, agent: { language: "nl" } });
      expect((await store.listMessages(tenantId, conversation.id)).map((m) => m.seq)).toEqual([saved!.message.seq]);
    });

    it("reads a conversation with its contact in one go, for the tenant that owns it only", async () => {
      const { tenantId, phoneNumberId } = await seedTenant(store);
      const other = await seedTenant(store);
      const contact = await store.upsertContact(tenantId, identity({ waId: uniqueWaId(), profileName: "Bea" }), T0);
      const conversation = await store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
      await store.saveAgentState(tenantId, conversation.id, { ...conversation.agent, language: "pt", qualification: { ...conversation.agent.qualification, budget: 5000 } }, T0 + 1, 2);
      const found = await store.getConversationWithContact(tenantId, conversation.id);
      expect(found).toEqual({ conversation: await store.getConversation(tenantId, conversation.id), contact: await store.getContact(tenantId, contact.id), recent: [] });
      expect(found?.conversation.agent).toMatchObject({ language: "pt", qualification: { budget: 5000 } });
      expect(found?.contact?.profileName).toBe("Bea");
      expect(await store.getConversationWithContact(other.tenantId, conversation.id)).toBeNull();
      expect(await store.getConversationWithContact(tenantId, "no-such-conversation")).toBeNull();
    });
  });
  describe("reads for a page of conversations", () => {
    const handoff = (tenantId: string, conversationId: string, status: HandoffStatus, requestedAt: number): Handoff => ({
      id: `${conversationId}-${requestedAt}`,
      tenantId,
      conversationId,
      reason: "human_requested",
      priority: "normal",
      team: "sales",
      ownerId: null,
      status,
      summary: buildHandoffSummary({ customerName: null, known: ZQualification.parse({}), intent: "human_request", confidence: 1, language: "en", reason: "human_requested", angry: false, lastMessage: "a person please", unansweredQuestion: null }),
      requestedAt,
      assignedAt: null,
      firstResponseAt: null,
      resolvedAt: status === "resolved" ? requestedAt + 1 : null,
      outcome: null,
      queuedUntil: null,
      sla: startSla(ZInboxSettings.parse({}).sla, "normal", { timezone: "UTC", openings: [] }, requestedAt),
      reassignments: 0,
    });

    it("reads several contacts at once, only the tenant's own", async () => {
      const a = await seedTenant(store);
      const b = await seedTenant(store);
      const first = await store.upsertContact(a.tenantId, identity({ waId: uniqueWaId() }), T0);
      const second = await store.upsertContact(a.tenantId, identity({ waId: uniqueWaId() }), T0);
      const foreign = await store.upsertContact(b.tenantId, identity({ waId: uniqueWaId() }), T0);
      const read = await store.getContacts(a.tenantId, [second.id, foreign.id, first.id, "missing"]);
      expect(read.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
      expect(await store.getContacts(a.tenantId, [])).toEqual([]);
    });

    it("gives each conversation its open handoff, or else its latest, and none of another tenant's", async () => {
      const tenant = await seedTenant(store);
      const conversationOf = async (t: { tenantId: string; phoneNumberId: string }) =>
        store.getOrCreateConversation(t.tenantId, t.phoneNumberId, (await store.upsertContact(t.tenantId, identity({ waId: uniqueWaId() }), T0)).id, T0);
      const [withOpen, allClosed, none] = [await conversationOf(tenant), await conversationOf(tenant), await conversationOf(tenant)];
      const other = await seedTenant(store);
      const foreign = await conversationOf(other);
      await store.transaction(async (tx) => {
        await tx.handoffs.create(handoff(tenant.tenantId, withOpen.id, "assigned", T0 + 1));
        await tx.handoffs.create(handoff(tenant.tenantId, withOpen.id, "resolved", T0 + 2));
        await tx.handoffs.create(handoff(tenant.tenantId, allClosed.id, "resolved", T0 + 1));
        await tx.handoffs.create(handoff(tenant.tenantId, allClosed.id, "returned_to_bot", T0 + 3));
        await tx.handoffs.create(handoff(other.tenantId, foreign.id, "queued", T0 + 1));
      });
      const current = await store.handoffs.currentFor(tenant.tenantId, [withOpen.id, allClosed.id, none.id, foreign.id]);
      expect(Object.fromEntries([...current].map(([id, h]) => [id, [h.status, h.requestedAt]]))).toEqual({
        [withOpen.id]: ["assigned", T0 + 1],
        [allClosed.id]: ["returned_to_bot", T0 + 3],
      });
      expect(current.get(withOpen.id)).toEqual(await store.handoffs.open(tenant.tenantId, withOpen.id));
      expect(current.get(allClosed.id)).toEqual(await store.handoffs.latest(tenant.tenantId, allClosed.id));
    });
  });
}
