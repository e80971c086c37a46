/**
 * Every change of who speaks for the business goes through here: the transition table decides, the
 * audit log records who, when and why.
 */
import { AppError } from "../../domain/errors.js";
import { transition, type ConversationEvent, type ConversationMode } from "../../domain/conversation-mode.js";
import type { Conversation, StoreTx } from "../../domain/ports/store.js";

export async function changeMode(
  tx: StoreTx,
  conversation: Conversation,
  event: ConversationEvent,
  audit: { actor: string; detail?: string | null; now: number },
): Promise<ConversationMode> {
  const result = transition(conversation.mode, event);
  if (!result.ok) throw new AppError("conflict", `A conversation in mode "${conversation.mode}" does not accept "${event}".`);
  if (result.mode !== conversation.mode) await tx.setConversationMode(conversation.tenantId, conversation.id, result.mode, audit.now);
  await tx.handoffs.addAudit({
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    actor: audit.actor,
    action: event,
    fromMode: conversation.mode,
    toMode: result.mode,
    detail: audit.detail ?? null,
    at: audit.now,
  });
  return result.mode;
}
