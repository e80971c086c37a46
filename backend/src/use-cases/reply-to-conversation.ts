/**
 * Answers the customer's unanswered messages as one burst. Runs in the conversation's lane, after the
 * debounce window. While a human owns the conversation the bot stays silent: the messages are marked
 * handled so they are not answered later out of context.
 */
import { botMayReply, transition } from "../domain/conversation-mode.js";
import type { AgentDecision, AgentTurn } from "../domain/agent.js";
import type { Message } from "../domain/ports/store.js";
import type { UseCaseContext } from "./context.js";
import { queueOutbound } from "./queue-outbound.js";

const HISTORY_TURNS = 20;

function toTurn(message: Message): AgentTurn {
  return { from: message.direction === "inbound" ? "customer" : "business", text: message.text ?? "", at: message.createdAt };
}

export async function replyToConversation(ctx: UseCaseContext, tenantId: string, conversationId: string): Promise<AgentDecision["kind"] | "silent" | "nothing"> {
  const conversation = await ctx.store.getConversation(tenantId, conversationId);
  if (!conversation) return "nothing";
  const recent = await ctx.store.listMessages(tenantId, conversationId, { afterSeq: 0, limit: 10_000 });
  const pendingMessages = recent.filter((m) => m.direction === "inbound" && m.seq > conversation.answeredThroughSeq && m.type !== "reaction" && m.type !== "system");
  if (pendingMessages.length === 0) return "nothing";
  const lastSeq = pendingMessages[pendingMessages.length - 1]!.seq;

  if (!botMayReply(conversation.mode)) {
    await ctx.store.markAnsweredThrough(tenantId, conversationId, lastSeq, ctx.clock.now());
    return "silent";
  }

  const number = await ctx.store.findWhatsAppNumber(conversation.phoneNumberId);
  const lastWamid = pendingMessages[pendingMessages.length - 1]!.wamid;
  if (number?.accessToken && lastWamid && !number.sendingPausedReason) {
    // Read receipt and "typing…" while the agent thinks; cosmetic, so a failure is only logged.
    await ctx.whatsapp
      .markRead({ phoneNumberId: number.phoneNumberId, accessToken: number.accessToken }, lastWamid, { typing: true })
      .catch((error: unknown) => ctx.logger.warn({ err: String(error), conversationId }, "typing indicator failed"));
  }

  const contact = await ctx.store.getContact(tenantId, conversation.contactId);
  const history = recent.filter((m) => m.seq <= conversation.answeredThroughSeq).slice(-HISTORY_TURNS).map(toTurn);
  const decision = await ctx.agent.decide({
    tenantId,
    conversationId,
    customerName: contact?.profileName ?? null,
    history,
    pending: pendingMessages.map(toTurn),
  });

  await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const current = await tx.getConversation(tenantId, conversationId);
    if (!current || !botMayReply(current.mode)) return;
    switch (decision.kind) {
      case "reply":
      case "question":
        await queueOutbound(tx, { conversation: current, sender: "bot", content: { type: "text", text: { body: decision.text } }, now, handoff: ctx.handoff });
        break;
      case "handoff": {
        const next = transition(current.mode, "handoff_requested");
        if (next.ok) await tx.setConversationMode(tenantId, conversationId, next.mode, now);
        await queueOutbound(tx, { conversation: current, sender: "bot", content: { type: "text", text: { body: decision.customerNotice } }, now, handoff: ctx.handoff });
        break;
      }
      case "none":
        break;
      default:
        decision satisfies never;
    }
    await tx.markAnsweredThrough(tenantId, conversationId, lastSeq, now);
  });
  ctx.metrics.agentDecisions.inc({ kind: decision.kind });
  return decision.kind;
}
