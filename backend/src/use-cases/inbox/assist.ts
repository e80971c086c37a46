/**
 * Help for the rep: a suggested reply drafted by the agent (through the same guardrails as the
 * bot's own replies), and the bot-drafting switch of a conversation a human owns.
 */
import type { z } from "zod";
import type { ZSuggestedReply } from "@salesbot/shared";
import { onlyAttachments } from "../../domain/agent/turn-words.js";
import { AppError } from "../../domain/errors.js";
import type { UseCaseContext } from "../context.js";
import { agentInputFor } from "../agent-input.js";
import { changeMode } from "../handoff/mode.js";
import type { Caller } from "../handoff/rep-actions.js";

export type SuggestedReply = z.infer<typeof ZSuggestedReply>;

export async function suggestReply(ctx: UseCaseContext, caller: Caller, conversationId: string): Promise<SuggestedReply> {
  const conversation = await ctx.store.getConversation(caller.tenantId, conversationId);
  if (!conversation) throw new AppError("not_found", "No such conversation.");
  const messages = await ctx.store.listRecentMessages(caller.tenantId, conversationId, 100);
  const lastBusiness = messages.reduce((seq, m) => (m.direction === "outbound" ? m.seq : seq), 0);
  let pending = messages.filter((m) => m.direction === "inbound" && m.seq > lastBusiness);
  if (pending.length === 0) pending = messages.filter((m) => m.direction === "inbound").slice(-1);
  if (pending.length === 0) return { kind: "none", text: null, sourceId: null, sourceIds: [], intent: "other", handoffReason: null };
  const contact = await ctx.store.getContact(caller.tenantId, conversation.contactId);
  const input = agentInputFor({
    conversation,
    contact,
    history: messages.filter((m) => m.seq < pending[0]!.seq),
    pending,
    settings: await ctx.store.getAgentSettings(caller.tenantId),
    now: ctx.clock.now(),
  });
  // A voice note or a photo without words: the rep can play or open it, so the bot's "please write it"
  // would be no draft for them.
  if (onlyAttachments(input.pending)) return { kind: "none", text: null, sourceId: null, sourceIds: [], intent: "other", handoffReason: null };
  const decision = await ctx.agent.decide(input);
  switch (decision.kind) {
    case "reply":
      return { kind: "reply", text: decision.text, sourceId: decision.sourceId, sourceIds: decision.sourceId === null ? [] : [decision.sourceId, ...(decision.moreSourceIds ?? [])], intent: decision.intent, handoffReason: null };
    case "question":
      return { kind: "question", text: decision.text, sourceId: null, sourceIds: [], intent: decision.intent, handoffReason: null };
    case "handoff":
      return { kind: "handoff", text: null, sourceId: null, sourceIds: [], intent: decision.intent, handoffReason: decision.reason };
    case "opt_out":
      return { kind: "opt_out", text: null, sourceId: null, sourceIds: [], intent: decision.intent, handoffReason: null };
    case "none":
      return { kind: "none", text: null, sourceId: null, sourceIds: [], intent: decision.intent, handoffReason: null };
    default:
      return decision satisfies never;
  }
}

export async function setBotDrafting(ctx: UseCaseContext, caller: Caller, conversationId: string, enabled: boolean): Promise<string> {
  return ctx.store.transaction(async (tx) => {
    const conversation = await tx.getConversation(caller.tenantId, conversationId);
    if (!conversation) throw new AppError("not_found", "No such conversation.");
    return changeMode(tx, conversation, enabled ? "bot_drafting_enabled" : "bot_drafting_disabled", { actor: caller.actor, now: ctx.clock.now() });
  });
}
