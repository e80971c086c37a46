/**
 * Messages: idempotent inbound ingest, tenant isolation, media, channel events and alerts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { StoreHarness } from "../support/stores.js";
import { inbound, queuedOutbound, seedConversation, seedTenant, T0, uniqueId } from "./store-seed.js";

export function messageContract(getHarness: () => StoreHarness): void {
  let store: SqlStore;
  beforeAll(() => {
    store = getHarness().store;
  });

  const rowsWithWamid = async (wamid: string) =>
    getHarness().sql.all<{ tenant_id: string }>(`SELECT tenant_id FROM messages WHERE wamid = ? ORDER BY tenant_id`, [wamid]);

  describe("inbound messages", () => {
    it("stores a wamid once per tenant and moves the conversation's last inbound time", async () => {
      const conversation = await seedConversation(store);
      const wamid = uniqueId("wamid.in");
      const stored = await store.insertInboundMessage(inbound(conversation, wamid));
      expect(stored).toMatchObject({ direction: "inbound", sender: "customer", wamid, status: "received", text: `text of ${wamid}`, waTimestamp: T0 });
      expect(stored?.payload).toEqual({ id: wamid, type: "text", text: { body: `text of ${wamid}` } });
      expect(await store.insertInboundMessage(inbound(conversation, wamid, { receivedAt: T0 + 9_000 }))).toBeNull();
      expect(await store.listMessages(conversation.tenantId, conversation.id)).toHaveLength(1);
      expect(await store.getConversation(conversation.tenantId, conversation.id)).toMatchObject({ lastInboundAt: T0, lastInboundWamid: wamid });
    });

    it("keeps exactly one row when the same wamid is inserted twenty times at once", async () => {
      const conversation = await seedConversation(store);
      const wamid = uniqueId("wamid.race");
      const results = await Promise.all(Array.from({ length: 20 }, () => store.transaction((tx) => tx.insertInboundMessage(inbound(conversation, wamid)))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await rowsWithWamid(wamid)).toHaveLength(1);
    });

    it("does not move the last inbound time back for a message that arrives late", async () => {
      const conversation = await seedConversation(store);
      const newer = uniqueId("wamid.new");
      await store.insertInboundMessage(inbound(conversation, newer, { waTimestamp: T0 + 60_000, receivedAt: T0 + 61_000 }));
      await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.old"), { waTimestamp: T0, receivedAt: T0 + 62_000 }));
      expect(await store.getConversation(conversation.tenantId, conversation.id)).toMatchObject({ lastInboundAt: T0 + 60_000, lastInboundWamid: newer });
    });

    it("lists a conversation's messages in order, after a sequence number and up to a limit", async () => {
      const conversation = await seedConversation(store);
      const seqs: number[] = [];
      for (let i = 0; i < 4; i++) seqs.push((await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.list"))))!.seq);
      expect((await store.listMessages(conversation.tenantId, conversation.id)).map((m) => m.seq)).toEqual(seqs);
      expect((await store.listMessages(conversation.tenantId, conversation.id, { afterSeq: seqs[1]!, limit: 1 })).map((m) => m.seq)).toEqual([seqs[2]]);
    });

    it("lists a conversation's latest messages, oldest first, and none to another tenant", async () => {
      const conversation = await seedConversation(store);
      const other = await seedConversation(store);
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) seqs.push((await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.recent"))))!.seq);
      await store.insertInboundMessage(inbound(other, uniqueId("wamid.elsewhere")));
      expect((await store.listRecentMessages(conversation.tenantId, conversation.id, 3)).map((m) => m.seq)).toEqual(seqs.slice(2));
      expect((await store.listRecentMessages(conversation.tenantId, conversation.id, 50)).map((m) => m.seq)).toEqual(seqs);
      expect(await store.listRecentMessages(other.tenantId, conversation.id, 50)).toEqual([]);
    });

    it("reads a conversation with its contact and latest messages at once, exactly as the separate reads give them", async () => {
      const conversation = await seedConversation(store);
      const { tenantId } = conversation;
      expect((await store.getConversationWithContact(tenantId, conversation.id, { recentMessages: 3 }))?.recent).toEqual([]);
      for (let i = 0; i < 4; i++) await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.together"), { waTimestamp: i === 0 ? null : T0 + i }));
      const reply = await store.insertOutboundMessage({ tenantId, conversationId: conversation.id, sender: "bot", type: "text", text: "hi", payload: { type: "text", text: { body: "hi" } }, createdAt: T0 + 10 });
      await store.markOutboundFailed(tenantId, reply.seq, [{ reason: "test", code: 131026 }], T0 + 11);
      const found = await store.getConversationWithContact(tenantId, conversation.id, { recentMessages: 3 });
      expect(found?.recent).toEqual(await store.listRecentMessages(tenantId, conversation.id, 3));
      expect(found?.recent.map((m) => m.direction)).toEqual(["inbound", "inbound", "outbound"]);
      expect(found?.recent[2]).toMatchObject({ status: "failed", errors: [{ reason: "test", code: 131026 }], payload: { type: "text", text: { body: "hi" } } });
      const { recent: _recent, ...rest } = found!;
      expect({ ...rest, recent: [] }).toEqual(await store.getConversationWithContact(tenantId, conversation.id));
      const other = await seedConversation(store);
      expect(await store.getConversationWithContact(other.tenantId, conversation.id, { recentMessages: 3 })).toBeNull();
    });

    it("reads a message together with its conversation and contact, for the tenant that owns it only", async () => {
      const conversation = await seedConversation(store);
      const other = await seedTenant(store);
      const queued = await queuedOutbound(store, conversation);
      const found = await store.getMessageForSending(conversation.tenantId, queued.seq);
      expect(found?.message).toEqual(await store.getMessage(conversation.tenantId, queued.seq));
      expect(found?.conversation).toEqual(await store.getConversation(conversation.tenantId, conversation.id));
      expect(found?.contact).toEqual(await store.getContact(conversation.tenantId, conversation.contactId));
      expect(found?.contact?.profileName).toBe("Ana");
      expect(await store.getMessageForSending(other.tenantId, queued.seq)).toBeNull();
      expect(await store.getMessageForSending(conversation.tenantId, queued.seq + 1_000_000)).toBeNull();
    });

    it("reads a conversation at commit, with every write made before in its transaction, and hands it over only once committed", async () => {
      const conversation = await seedConversation(store);
      const { tenantId } = conversation;
      const earlier = (await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.before"))))!;
      let delivered: unknown = "not yet";
      let seenInside: unknown = "not yet";
      const stored = await store.transaction(async (tx) => {
        const message = (await tx.insertInboundMessage(inbound(conversation, uniqueId("wamid.at-commit"))))!;
        await tx.readConversationAtCommit(tenantId, conversation.id, { recentMessages: 5 }, (found) => (delivered = found));
        seenInside = delivered;
        return message;
      });
      expect(seenInside).toBe("not yet");
      expect(delivered).toEqual(await store.getConversationWithContact(tenantId, conversation.id, { recentMessages: 5 }));
      expect((delivered as { recent: Array<{ seq: number }> }).recent.map((m) => m.seq)).toEqual([earlier.seq, stored.seq]);
      expect(delivered).toMatchObject({ conversation: { id: conversation.id }, contact: { profileName: "Ana" } });

      // Rolled back: nothing is handed over.
      let afterRollback: unknown = "not called";
      await expect(
        store.transaction(async (tx) => {
          await tx.insertInboundMessage(inbound(conversation, uniqueId("wamid.undone")));
          await tx.readConversationAtCommit(tenantId, conversation.id, { recentMessages: 5 }, (found) => (afterRollback = found));
          throw new Error("undo");
        }),
      ).rejects.toThrow("undo");
      expect(afterRollback).toBe("not called");
      expect(await store.listMessages(tenantId, conversation.id)).toHaveLength(2);

      // Another tenant's conversation reads as none.
      const other = await seedTenant(store);
      let foreign: unknown = "not called";
      await store.transaction((tx) => tx.readConversationAtCommit(other.tenantId, conversation.id, {}, (found) => (foreign = found)));
      expect(foreign).toBeNull();
    });
  });

  describe("tenant isolation", () => {
    it("hides one tenant's contacts, conversations, messages and media from another", async () => {
      const a = await seedConversation(store);
      const b = await seedConversation(store);
      const message = (await store.insertInboundMessage(inbound(a, uniqueId("wamid.iso"))))!;
      await store.saveMedia({ tenantId: a.tenantId, mediaId: "media-iso", messageSeq: message.seq, mimeType: "image/jpeg", sha256: null, bytes: new Uint8Array([1]), storedAt: T0 });

      expect(await store.getContact(b.tenantId, a.contactId)).toBeNull();
      expect(await store.getConversation(b.tenantId, a.id)).toBeNull();
      expect(await store.getMessage(b.tenantId, message.seq)).toBeNull();
      expect(await store.listMessages(b.tenantId, a.id)).toEqual([]);
      expect(await store.getMedia(b.tenantId, "media-iso")).toBeNull();
      expect(await store.hasMedia(b.tenantId, "media-iso")).toBe(false);
      expect((await store.listConversations(b.tenantId, 100)).map((c) => c.id)).toEqual([b.id]);
      expect((await store.listConversations(a.tenantId, 100)).map((c) => c.id)).toEqual([a.id]);
    });

    it("ignores writes that name another tenant's records", async () => {
      const a = await seedConversation(store);
      const b = await seedConversation(store);
      await store.setConversationMode(b.tenantId, a.id, "human", T0 + 1);
      await store.markAnsweredThrough(b.tenantId, a.id, 99, T0 + 1);
      const outbound = await queuedOutbound(store, a);
      await store.markOutboundAccepted(b.tenantId, outbound.seq, uniqueId("wamid.foreign"), T0 + 1);
      await store.markOutboundFailed(b.tenantId, outbound.seq, [{ code: 1 }], T0 + 1);
      expect(await store.getConversation(a.tenantId, a.id)).toMatchObject({ mode: "bot", answeredThroughSeq: 0 });
      expect(await store.getMessage(a.tenantId, outbound.seq)).toMatchObject({ status: "queued", wamid: null, errors: null });
    });

    it("refuses to write a message into another tenant's conversation", async () => {
      const a = await seedConversation(store);
      const b = await seedConversation(store);
      await expect(store.insertInboundMessage({ ...inbound(a, uniqueId("wamid.cross")), tenantId: b.tenantId })).rejects.toMatchObject({ code: "not_found" });
      await expect(
        store.insertOutboundMessage({ tenantId: b.tenantId, conversationId: a.id, sender: "bot", type: "text", text: "x", payload: { type: "text", text: { body: "x" } }, createdAt: T0 }),
      ).rejects.toMatchObject({ code: "not_found" });
      expect(await store.listMessages(a.tenantId, a.id)).toEqual([]);
    });

    it("stores the same wamid in two tenants as two messages", async () => {
      const a = await seedConversation(store);
      const b = await seedConversation(store);
      const wamid = uniqueId("wamid.shared");
      expect(await store.insertInboundMessage(inbound(a, wamid))).not.toBeNull();
      expect(await store.insertInboundMessage(inbound(b, wamid))).not.toBeNull();
      expect((await rowsWithWamid(wamid)).map((r) => r.tenant_id)).toEqual([a.tenantId, b.tenantId].sort());
    });

    it("does not let a status for one tenant touch another tenant's message with that wamid", async () => {
      const a = await seedConversation(store);
      const b = await seedConversation(store);
      const outbound = await queuedOutbound(store, a);
      const wamid = uniqueId("wamid.out");
      await store.markOutboundAccepted(a.tenantId, outbound.seq, wamid, T0);
      expect(await store.applyStatus({ tenantId: b.tenantId, wamid, seq: outbound.seq, status: "read", errors: null, at: T0 + 1 })).toBe(false);
      expect((await store.getMessage(a.tenantId, outbound.seq))?.status).toBe("accepted");
    });
  });

  describe("media", () => {
    it("returns the exact bytes it stored, once per media id", async () => {
      const conversation = await seedConversation(store);
      const message = (await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.media"))))!;
      const bytes = new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
      const media = { tenantId: conversation.tenantId, mediaId: uniqueId("media"), messageSeq: message.seq, mimeType: "image/png", sha256: "abc", bytes, storedAt: T0 };
      await store.saveMedia(media);
      await store.saveMedia({ ...media, bytes: new Uint8Array([0]), mimeType: "text/plain" });
      const read = await store.getMedia(conversation.tenantId, media.mediaId);
      expect(read).toEqual(media);
      expect(Buffer.from(read!.bytes).equals(Buffer.from(bytes))).toBe(true);
      expect(await store.getMedia(conversation.tenantId, "missing")).toBeNull();
      expect(await store.hasMedia(conversation.tenantId, media.mediaId)).toBe(true);
      expect(await store.hasMedia(conversation.tenantId, "missing")).toBe(false);
    });
  });

  describe("channel events and alerts", () => {
    it("keeps channel events per tenant, plus the ones no tenant owns", async () => {
      const { tenantId } = await seedTenant(store);
      const detail = { error: { code: 131000, nested: [1, "two", null] } };
      await store.recordChannelEvent({ tenantId, phoneNumberId: "pn-1", kind: "value_error", code: 131000, title: "Something", detail, at: T0 });
      await store.recordChannelEvent({ tenantId: null, phoneNumberId: null, kind: "unrouted", code: null, title: null, detail: null, at: T0 + 1 });
      expect(await store.listChannelEvents(tenantId, 10)).toEqual([{ tenantId, phoneNumberId: "pn-1", kind: "value_error", code: 131000, title: "Something", detail, at: T0 }]);
      const all = await store.listChannelEvents(null, 1000);
      expect(all.some((e) => e.kind === "unrouted" && e.tenantId === null && e.at === T0 + 1)).toBe(true);
      expect(all.some((e) => e.tenantId === tenantId)).toBe(true);
    });

    it("lists channel events newest first, so the latest are within the limit", async () => {
      const { tenantId } = await seedTenant(store);
      for (let i = 0; i < 5; i++) await store.recordChannelEvent({ tenantId, phoneNumberId: "pn-1", kind: "unknown_field", code: null, title: `field ${i}`, detail: null, at: T0 + i });
      expect((await store.listChannelEvents(tenantId, 2)).map((e) => e.title)).toEqual(["field 4", "field 3"]);
    });

    it("lists a tenant's alerts newest first", async () => {
      const { tenantId } = await seedTenant(store);
      const other = await seedTenant(store);
      await store.raiseAlert({ tenantId, kind: "whatsapp_token_invalid", message: "first", at: T0 });
      await store.raiseAlert({ tenantId, kind: "whatsapp_token_invalid", message: "second", at: T0 + 1 });
      await store.raiseAlert({ tenantId: other.tenantId, kind: "x", message: "other", at: T0 + 2 });
      const alerts = await store.listAlerts(tenantId, 10);
      expect(alerts.map((a) => a.message)).toEqual(["second", "first"]);
      expect(alerts.every((a) => a.tenantId === tenantId && a.id > 0)).toBe(true);
      expect(await store.listAlerts(tenantId, 1)).toHaveLength(1);
    });
  });
}
