/**
 * Outbound delivery states: they only move forward, whatever order Meta's status webhooks arrive in,
 * and statuses that overtake the send response are not lost.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { SqlStore } from "../../backend/src/adapters/store/sql-store.js";
import type { DeliveryStatus } from "../../backend/src/domain/delivery-status.js";
import type { Conversation, StatusUpdate } from "../../backend/src/domain/ports/store.js";
import type { StoreHarness } from "../support/stores.js";
import { inbound, queuedOutbound, seedConversation, T0, uniqueId } from "./store-seed.js";

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

export function deliveryContract(getHarness: () => StoreHarness): void {
  let store: SqlStore;
  beforeAll(() => {
    store = getHarness().store;
  });

  describe("outbound delivery status", () => {
    async function accepted(conversation: Conversation): Promise<{ seq: number; wamid: string }> {
      const message = await queuedOutbound(store, conversation);
      const wamid = uniqueId("wamid.out");
      await store.markOutboundAccepted(conversation.tenantId, message.seq, wamid, T0 + 10);
      return { seq: message.seq, wamid };
    }
    const status = (c: Conversation, wamid: string, s: DeliveryStatus, extra: Partial<StatusUpdate> = {}): StatusUpdate => ({
      tenantId: c.tenantId,
      wamid,
      seq: null,
      status: s,
      errors: null,
      at: T0 + 100,
      ...extra,
    });

    it("queues an outbound message and records the wamid Meta accepted it under", async () => {
      const conversation = await seedConversation(store);
      const message = await queuedOutbound(store, conversation);
      expect(message).toMatchObject({ direction: "outbound", sender: "bot", status: "queued", wamid: null, text: "hello" });
      await store.markOutboundAccepted(conversation.tenantId, message.seq, "wamid.accepted-1", T0 + 10);
      expect(await store.getMessage(conversation.tenantId, message.seq)).toMatchObject({ status: "accepted", wamid: "wamid.accepted-1" });
    });

    it.each(permutations<DeliveryStatus>(["sent", "delivered", "read"]))("ends at read whatever the order: %s, %s, %s", async (...order) => {
      const conversation = await seedConversation(store);
      const { seq, wamid } = await accepted(conversation);
      let rank = 0;
      const ranks: Record<string, number> = { sent: 1, delivered: 2, read: 3 };
      for (const s of order) {
        const moved = await store.applyStatus(status(conversation, wamid, s));
        expect(moved).toBe(ranks[s]! > rank);
        rank = Math.max(rank, ranks[s]!);
      }
      expect((await store.getMessage(conversation.tenantId, seq))?.status).toBe("read");
    });

    it("lets failed win over read and keeps its errors against later statuses", async () => {
      const conversation = await seedConversation(store);
      const { seq, wamid } = await accepted(conversation);
      await store.applyStatus(status(conversation, wamid, "read"));
      const errors = [{ code: 131026, title: "Message undeliverable" }];
      expect(await store.applyStatus(status(conversation, wamid, "failed", { errors }))).toBe(true);
      expect(await store.applyStatus(status(conversation, wamid, "played"))).toBe(false);
      expect(await store.applyStatus(status(conversation, wamid, "failed", { errors: null }))).toBe(false);
      expect(await store.getMessage(conversation.tenantId, seq)).toMatchObject({ status: "failed", errors });
    });

    it("keeps a send failure against statuses that arrive afterwards", async () => {
      const conversation = await seedConversation(store);
      const { seq, wamid } = await accepted(conversation);
      await store.markOutboundFailed(conversation.tenantId, seq, [{ reason: "window_closed" }], T0 + 20);
      expect(await store.applyStatus(status(conversation, wamid, "delivered"))).toBe(false);
      expect(await store.getMessage(conversation.tenantId, seq)).toMatchObject({ status: "failed", errors: [{ reason: "window_closed" }] });
    });

    it("applies statuses that arrived before the send response once the wamid is recorded", async () => {
      const conversation = await seedConversation(store);
      const message = await queuedOutbound(store, conversation);
      const wamid = uniqueId("wamid.early");
      expect(await store.applyStatus(status(conversation, wamid, "delivered"))).toBe(false);
      expect(await store.applyStatus(status(conversation, wamid, "sent"))).toBe(false);
      expect((await store.getMessage(conversation.tenantId, message.seq))?.status).toBe("queued");
      await store.markOutboundAccepted(conversation.tenantId, message.seq, wamid, T0 + 200);
      expect(await store.getMessage(conversation.tenantId, message.seq)).toMatchObject({ status: "delivered", wamid });
    });

    it("applies an early failure, with its errors, once the wamid is recorded", async () => {
      const conversation = await seedConversation(store);
      const message = await queuedOutbound(store, conversation);
      const wamid = uniqueId("wamid.early-fail");
      const errors = [{ code: 131049 }];
      await store.applyStatus(status(conversation, wamid, "failed", { errors }));
      await store.markOutboundAccepted(conversation.tenantId, message.seq, wamid, T0 + 200);
      expect(await store.getMessage(conversation.tenantId, message.seq)).toMatchObject({ status: "failed", errors, wamid });
    });

    it("correlates a status with its message through the seq echoed in biz_opaque_callback_data", async () => {
      const conversation = await seedConversation(store);
      const message = await queuedOutbound(store, conversation);
      const wamid = uniqueId("wamid.opaque");
      expect(await store.applyStatus(status(conversation, wamid, "delivered", { seq: message.seq }))).toBe(true);
      expect(await store.getMessage(conversation.tenantId, message.seq)).toMatchObject({ status: "delivered", wamid });
      // The send response arrives last: it must not pull the status back to accepted.
      await store.markOutboundAccepted(conversation.tenantId, message.seq, wamid, T0 + 300);
      expect(await store.getMessage(conversation.tenantId, message.seq)).toMatchObject({ status: "delivered", wamid });
    });

    it("does not correlate by seq with a message that already has another wamid, or with an inbound one", async () => {
      const conversation = await seedConversation(store);
      const { seq, wamid } = await accepted(conversation);
      expect(await store.applyStatus(status(conversation, uniqueId("wamid.other"), "read", { seq }))).toBe(false);
      const customer = (await store.insertInboundMessage(inbound(conversation, uniqueId("wamid.in"))))!;
      expect(await store.applyStatus(status(conversation, uniqueId("wamid.other"), "read", { seq: customer.seq }))).toBe(false);
      expect(await store.getMessage(conversation.tenantId, seq)).toMatchObject({ status: "accepted", wamid });
      expect((await store.getMessage(conversation.tenantId, customer.seq))?.status).toBe("received");
    });
  });

}
