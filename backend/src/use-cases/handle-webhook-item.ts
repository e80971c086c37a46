/**
 * One routed webhook item: a customer message, a delivery status or a value-level error. Everything
 * here is idempotent (Meta redelivers for days): a message is stored once per wamid, and only a new
 * message queues follow-up work; statuses only move forward.
 */
import type { InboundMessage, WebhookContact } from "@salesbot/shared";
import { describeInbound, isCustomerTurn, isMediaType } from "../adapters/whatsapp/webhook-items-describe.js";
import type { RoutedWebhookItem } from "../adapters/whatsapp/webhook-items.js";
import { AppError } from "../domain/errors.js";
import { parseDeliveryStatus } from "../domain/delivery-status.js";
import type { Contact, ContactIdentity, Conversation, StoreTx } from "../domain/ports/store.js";
import { requestHandoff } from "./handoff/handoff-service.js";
import { changeMode } from "./handoff/mode.js";
import { onCustomerMessageDuringHandoff } from "./handoff/timers.js";
import { jobKinds } from "../jobs/job-kinds.js";
import type { UseCaseContext } from "./context.js";
import { carryConversationToReply } from "./reply-to-conversation.js";

function identityOf(message: InboundMessage, contact: WebhookContact | null): ContactIdentity {
  return {
    waId: message.from ?? contact?.wa_id ?? null,
    userId: message.from_user_id ?? contact?.user_id ?? null,
    parentUserId: message.from_parent_user_id ?? contact?.parent_user_id ?? null,
    profileName: contact?.profile?.name ?? null,
    username: contact?.profile?.username ?? null,
  };
}

interface IdentityChange {
  type: string;
  newWaId: string | null;
  /** Meta regenerates the business-scoped user id with a new number, and may change it on its own (user_changed_user_id). */
  newUserId: string | null;
  newParentUserId: string | null;
  previousUserId: string | null;
}

/** A customer's identity changed: the new values are in `system`, the old ones in `previous_*` or the sender fields. */
function identityChange(message: InboundMessage): IdentityChange | null {
  if (message.type !== "system") return null;
  const system = (message as { system?: Record<string, unknown> }).system;
  if (!system || typeof system.type !== "string") return null;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : null);
  return {
    type: system.type,
    newWaId: text(system.wa_id),
    newUserId: text(system.user_id),
    newParentUserId: text(system.parent_user_id),
    previousUserId: text(system.previous_user_id) ?? message.from_user_id ?? null,
  };
}

const IDENTITY_CHANGES = new Set(["user_changed_number", "user_changed_user_id"]);

/** Moves the contact to its new number and user id before the notice is stored, so the customer stays one contact with one conversation. */
async function followIdentityChange(tx: StoreTx, tenantId: string, identity: ContactIdentity, change: IdentityChange, now: number): Promise<void> {
  if (!IDENTITY_CHANGES.has(change.type)) return;
  if (change.type === "user_changed_number" && identity.waId && change.newWaId) {
    await tx.changeContactWaId(tenantId, identity.waId, change.newWaId, now);
    identity.waId = change.newWaId;
  }
  if (change.newUserId && change.previousUserId && change.newUserId !== change.previousUserId) {
    await tx.changeContactUserId(tenantId, change.previousUserId, { userId: change.newUserId, parentUserId: change.newParentUserId }, now);
    identity.userId = change.newUserId;
    identity.parentUserId = change.newParentUserId ?? identity.parentUserId;
  }
}

async function handleMessage(ctx: UseCaseContext, tx: StoreTx, tenantId: string, item: Extract<RoutedWebhookItem, { kind: "message" }>): Promise<void> {
  const now = ctx.clock.now();
  const { message } = item;
  const identity = identityOf(message, item.contact);
  const change = identityChange(message);
  // A notice of a changed user id may name the customer by nothing but the previous one.
  if (change && !identity.waId && !identity.userId) identity.userId = change.previousUserId;
  if (!identity.waId && !identity.userId) throw new AppError("bad_request", `message ${message.id} names no sender (no from, from_user_id or contact)`);
  if (change) await followIdentityChange(tx, tenantId, identity, change, now);

  const { contact, conversation } = await tx.upsertContactWithConversation(tenantId, identity, item.phoneNumberId, now);
  const stored = await tx.insertInboundMessage({
    tenantId,
    conversationId: conversation.id,
    wamid: message.id,
    type: message.type,
    text: describeInbound(message),
    payload: message,
    waTimestamp: message.timestamp === undefined ? null : message.timestamp * 1000,
    receivedAt: now,
  });
  if (!stored) return;
  tx.afterCommit(() => ctx.metrics.inboundMessages.inc({ type: message.type }));

  if (isMediaType(message.type)) {
    const media = (message as Record<string, unknown>)[message.type] as { id?: unknown } | undefined;
    if (typeof media?.id === "string") {
      await tx.jobs.enqueue({
        kind: jobKinds.media,
        tenantId,
        payload: { tenantId, mediaId: media.id, messageSeq: stored.seq, phoneNumberId: item.phoneNumberId },
        runAt: now,
        maxAttempts: 6,
      });
    }
  }

  if (!isCustomerTurn(message.type)) return;
  if (conversation.mode === "human" || conversation.mode === "shared") await onCustomerMessageDuringHandoff(tx, conversation, now);
  if (conversation.mode === "resolved") await reopen(tx, conversation, contact, now);
  // With no debounce window the reply is due now: this worker runs it next.
  const handoff = ctx.timing.replyDebounceMs === 0 ? ctx.handoff : undefined;
  await tx.jobs.enqueue({
    kind: jobKinds.conversationReply,
    tenantId,
    lane: `conversation:${conversation.id}`,
    dedupKey: `reply:${conversation.id}`,
    payload: { tenantId, conversationId: conversation.id },
    runAt: now + ctx.timing.replyDebounceMs,
    notAfter: now + ctx.timing.replyMaxWaitMs,
  }, handoff);
  if (handoff) await carryConversationToReply(tx, handoff, tenantId, conversation.id);
}

/** A customer writing to a resolved conversation reopens it, to the bot or to the last owner, per tenant policy. */
async function reopen(tx: StoreTx, conversation: Conversation, contact: Contact, now: number): Promise<void> {
  const settings = await tx.handoffs.getSettings(conversation.tenantId);
  const last = settings.reopenTo === "last_owner" ? await tx.handoffs.latest(conversation.tenantId, conversation.id) : null;
  if (last?.ownerId) {
    await requestHandoff(tx, { conversation, contact, reason: last.reason, priority: last.priority, team: last.team, summary: last.summary, preferredRepId: last.ownerId, actor: "customer", now });
    return;
  }
  await changeMode(tx, conversation, "customer_wrote", { actor: "customer", detail: "reopened", now });
}

async function handleStatus(ctx: UseCaseContext, tx: StoreTx, tenantId: string, item: Extract<RoutedWebhookItem, { kind: "status" }>): Promise<void> {
  const status = parseDeliveryStatus(item.status.status);
  if (!status) {
    await tx.recordChannelEvent({ tenantId, phoneNumberId: item.phoneNumberId, kind: "unknown_field", code: null, title: `status:${item.status.status}`, detail: item.status, at: ctx.clock.now() });
    return;
  }
  const seq = item.status.biz_opaque_callback_data !== undefined && /^\d+$/.test(item.status.biz_opaque_callback_data) ? Number(item.status.biz_opaque_callback_data) : null;
  const changed = await tx.applyStatus({
    tenantId,
    wamid: item.status.id,
    seq,
    status,
    errors: item.status.errors ?? null,
    at: item.status.timestamp === undefined ? ctx.clock.now() : item.status.timestamp * 1000,
  });
  tx.afterCommit(() => ctx.metrics.deliveryStatuses.inc({ status, applied: changed ? "yes" : "no" }));
}

export async function handleWebhookItem(ctx: UseCaseContext, tenantId: string, item: RoutedWebhookItem): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    await handleInTransaction(ctx, tx, tenantId, item);
    await tx.jobs.completeWithin(ctx.handoff);
  });
}

/** Also called by the webhook.process job for a lone item that needs no lane (see process-webhook-event.ts). */
export async function handleInTransaction(ctx: UseCaseContext, tx: StoreTx, tenantId: string, item: RoutedWebhookItem): Promise<void> {
  switch (item.kind) {
    case "message":
      return handleMessage(ctx, tx, tenantId, item);
    case "status":
      return handleStatus(ctx, tx, tenantId, item);
    case "value_error":
      return tx.recordChannelEvent({
        tenantId,
        phoneNumberId: item.phoneNumberId,
        kind: "value_error",
        code: item.error.code,
        title: item.error.title ?? item.error.message ?? null,
        detail: item.error,
        at: ctx.clock.now(),
      });
    default:
      return item satisfies never;
  }
}
