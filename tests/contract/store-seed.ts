/**
 * Seed data for the store contract. Tests share one database per engine, so every seed gets ids of
 * its own and no test depends on another's rows.
 */
import type { Conversation, NewInboundMessage, Store } from "../../backend/src/domain/ports/store.js";

export const T0 = 1_750_000_000_000;

let counter = 0;
const next = () => `${process.pid}${String(++counter).padStart(4, "0")}`;

export const uniqueId = (prefix: string): string => `${prefix}-${next()}`;
/** A wa_id: digits with a country code, distinct per call. */
export const uniqueWaId = (): string => `1${next().slice(-10).padStart(10, "5")}`;

export async function seedTenant(store: Store): Promise<{ tenantId: string; phoneNumberId: string }> {
  const tenantId = uniqueId("tenant");
  const phoneNumberId = `pn${next()}`;
  await store.upsertTenant({ id: tenantId, name: `Company ${tenantId}` }, T0);
  await store.upsertWhatsAppNumber({ tenantId, phoneNumberId, displayPhoneNumber: "15550001111", accessToken: `token-${tenantId}` });
  return { tenantId, phoneNumberId };
}

export async function seedConversation(store: Store, tenant?: { tenantId: string; phoneNumberId: string }): Promise<Conversation> {
  const { tenantId, phoneNumberId } = tenant ?? (await seedTenant(store));
  const contact = await store.upsertContact(tenantId, { waId: uniqueWaId(), userId: null, parentUserId: null, profileName: "Ana", username: null }, T0);
  return store.getOrCreateConversation(tenantId, phoneNumberId, contact.id, T0);
}

export function inbound(conversation: Conversation, wamid: string, overrides: Partial<NewInboundMessage> = {}): NewInboundMessage {
  return {
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    wamid,
    type: "text",
    text: `text of ${wamid}`,
    payload: { id: wamid, type: "text", text: { body: `text of ${wamid}` } },
    waTimestamp: T0,
    receivedAt: T0 + 1_000,
    ...overrides,
  };
}

export async function queuedOutbound(store: Store, conversation: Conversation, at = T0) {
  return store.insertOutboundMessage({
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    sender: "bot",
    type: "text",
    text: "hello",
    payload: { type: "text", text: { body: "hello" } },
    createdAt: at,
  });
}
