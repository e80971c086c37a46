/**
 * Read models for the inbox API: a conversation as a rep sees it, its messages, its handoff.
 */
import type { ConversationView, HandoffView, MessageView } from "@salesbot/shared";
import { customerServiceWindow } from "../../domain/reply-window.js";
import type { Handoff } from "../../domain/ports/handoffs.js";
import type { Contact, Conversation, Message, StoreTx } from "../../domain/ports/store.js";

export function handoffView(h: Handoff): HandoffView {
  return {
    id: h.id,
    conversationId: h.conversationId,
    reason: h.reason,
    priority: h.priority,
    team: h.team,
    ownerId: h.ownerId,
    status: h.status,
    summary: h.summary,
    requestedAt: h.requestedAt,
    assignedAt: h.assignedAt,
    firstResponseAt: h.firstResponseAt,
    resolvedAt: h.resolvedAt,
    outcome: h.outcome,
    queuedUntil: h.queuedUntil,
    sla: h.sla,
  };
}

export function messageView(m: Message, mediaUrl: (mediaId: string) => string): MessageView {
  const media: Array<{ id: string; url: string }> = [];
  const payload = m.payload as Record<string, unknown> | null;
  const object = payload && typeof payload === "object" ? (payload[m.type] as { id?: unknown } | undefined) : undefined;
  if (m.direction === "inbound" && object && typeof object.id === "string") media.push({ id: object.id, url: mediaUrl(object.id) });
  return { id: m.seq, direction: m.direction, sender: m.sender, type: m.type, text: m.text, status: m.status, at: m.createdAt, media };
}

/** Views of a page of conversations: two reads for the whole page, not two per conversation. */
export async function conversationViews(tx: StoreTx, conversations: readonly Conversation[], now: number): Promise<ConversationView[]> {
  if (conversations.length === 0) return [];
  const tenantId = conversations[0]!.tenantId;
  if (conversations.some((c) => c.tenantId !== tenantId)) throw new Error("conversation views are built for one tenant at a time");
  const contacts = new Map((await tx.getContacts(tenantId, [...new Set(conversations.map((c) => c.contactId))])).map((c) => [c.id, c]));
  const handoffs = await tx.handoffs.currentFor(tenantId, conversations.map((c) => c.id));
  return conversations.map((conversation) => toView(conversation, contacts.get(conversation.contactId) ?? null, handoffs.get(conversation.id) ?? null, now));
}

export async function conversationView(tx: StoreTx, conversation: Conversation, now: number): Promise<ConversationView> {
  const [view] = await conversationViews(tx, [conversation], now);
  return view!;
}

function toView(conversation: Conversation, contact: Contact | null, handoff: Handoff | null, now: number): ConversationView {
  const window = customerServiceWindow(conversation.lastInboundAt, now);
  return {
    id: conversation.id,
    mode: conversation.mode,
    customer: {
      name: contact?.profileName ?? null,
      phone: contact?.phoneE164 ?? null,
      waId: contact?.waId ?? null,
      optedOut: contact?.optedOut ?? false,
      vip: contact?.vip ?? false,
    },
    language: conversation.agent.language,
    lastIntent: conversation.agent.lastIntent,
    qualification: conversation.agent.qualification,
    leadScore: conversation.agent.leadScore,
    windowClosesAt: window.closesAt,
    handoff: handoff ? handoffView(handoff) : null,
    updatedAt: conversation.updatedAt,
  };
}
