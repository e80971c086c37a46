/**
 * Answers the customer's unanswered messages as one burst. Runs in the conversation's lane, after the
 * debounce window. While a human owns the conversation the bot stays silent: the messages are marked
 * handled so they are not answered later out of context. What the agent learned (language,
 * qualification, lead score, the handoff) is kept with the conversation.
 */
import { botMayReply, conversationModes } from "../domain/conversation-mode.js";
import { requestHandoff } from "./handoff/handoff-service.js";
import type { AgentDecision } from "../domain/agent.js";
import { agentInputFor } from "./agent-input.js";
import { phrases } from "../domain/agent/messages.js";
import { isOptIn } from "../domain/agent/opt-out.js";
import { askedFieldsAfter, openQuestionAfter } from "../domain/agent/open-question.js";
import { leadScore, mergeQualification } from "../domain/agent/qualification.js";
import { customerServiceWindow } from "../domain/reply-window.js";
import type { JobHandoff } from "../domain/ports/jobs.js";
import type { Conversation, ConversationAgentState, ConversationWithContact, Message, StoreTx } from "../domain/ports/store.js";
import type { UseCaseContext } from "./context.js";
import { queueBotReply, queueOutbound } from "./queue-outbound.js";
import { signalReading } from "./reading-signals.js";
import { carryToSend } from "./send-outbound.js";

const BOT_MODES = conversationModes.filter(botMayReply);

/** Enough for the agent's history window plus a long burst of unanswered messages. */
const RECENT_MESSAGES = 100;

export type ReplyOutcome = AgentDecision["kind"] | "silent" | "nothing" | "window_closed" | "opted_in";

/** What a job that queued the reply as its hand-off leaves for it: the conversation as that job committed it. */
interface ReplyCarry {
  carries: "conversation";
  tenantId: string;
  conversationId: string;
  found: ConversationWithContact | null;
}

function isReplyCarry(value: unknown, tenantId: string, conversationId: string): value is ReplyCarry {
  if (typeof value !== "object" || value === null) return false;
  const carry = value as ReplyCarry;
  return carry.carries === "conversation" && carry.tenantId === tenantId && carry.conversationId === conversationId;
}

/**
 * In the transaction that queues the reply with a hand-off: the reply will run next in this worker,
 * so it gets the conversation read with this commit instead of a read of its own, a round trip
 * later. The state it then starts from is the one this transaction committed; whatever changes after
 * (a person taking over) is caught where the reply is saved, as it is while the agent thinks.
 */
export async function carryConversationToReply(tx: StoreTx, handoff: JobHandoff, tenantId: string, conversationId: string): Promise<void> {
  await tx.readConversationAtCommit(tenantId, conversationId, { recentMessages: RECENT_MESSAGES }, (found) => {
    const carry: ReplyCarry = { carries: "conversation", tenantId, conversationId, found };
    handoff.carry = carry;
  });
}

/** `carried`: what the job that handed this reply over left for it (`JobHandoff.carried`). */
export async function replyToConversation(ctx: UseCaseContext, tenantId: string, conversationId: string, carried?: unknown): Promise<ReplyOutcome> {
  const found = isReplyCarry(carried, tenantId, conversationId)
    ? carried.found
    : await ctx.store.getConversationWithContact(tenantId, conversationId, { recentMessages: RECENT_MESSAGES });
  if (!found) return "nothing";
  const { conversation, contact, recent } = found;
  const pendingMessages = recent.filter((m) => m.direction === "inbound" && m.seq > conversation.answeredThroughSeq && m.type !== "reaction" && m.type !== "system");
  if (pendingMessages.length === 0) return "nothing";
  const lastMessage = pendingMessages[pendingMessages.length - 1]!;
  const lastSeq = lastMessage.seq;
  const now = ctx.clock.now();

  if (!botMayReply(conversation.mode)) {
    await ctx.store.markAnsweredThrough(tenantId, conversationId, lastSeq, now);
    return "silent";
  }
  // Messages Meta redelivers days late can no longer be answered with free text; a human follows up with a template.
  if (!customerServiceWindow(conversation.lastInboundAt, now).allowed) {
    await ctx.store.markAnsweredThrough(tenantId, conversationId, lastSeq, now);
    ctx.logger.warn({ tenantId, conversationId }, "not answering: the customer service window has closed");
    return "window_closed";
  }

  if (contact?.optedOut && isOptIn(lastMessage.text ?? "")) {
    await ctx.store.transaction(async (tx) => {
      await tx.setContactOptOut(tenantId, contact.id, false, now);
      const language = conversation.agent.language ?? "en";
      await queueOutbound(tx, { conversation, sender: "bot", purpose: "reply", content: { type: "text", text: { body: phrases[language].optedIn } }, now });
      await tx.markAnsweredThrough(tenantId, conversationId, lastSeq, now);
    });
    return "opted_in";
  }

  const number = await ctx.store.findWhatsAppNumber(conversation.phoneNumberId);
  const wamid = lastMessage.wamid;
  const credentials = number?.accessToken && !number.sendingPausedReason ? { phoneNumberId: number.phoneNumberId, accessToken: number.accessToken } : null;
  // Cosmetic: a failure is only logged.
  const reading = signalReading(
    credentials && wamid
      ? (options) =>
          ctx.whatsapp
            .markRead(credentials, wamid, options)
            .catch((error: unknown) => ctx.logger.warn({ err: String(error), conversationId, typing: options.typing }, "read receipt failed"))
      : null,
  );

  const state = conversation.agent;
  let decision: AgentDecision;
  let typed: Promise<void>;
  try {
    const settings = await ctx.store.getAgentSettings(tenantId);
    decision = await ctx.agent.decide(
      agentInputFor({ conversation, contact, history: recent.filter((m) => m.seq <= conversation.answeredThroughSeq), pending: pendingMessages, settings, now }),
    );
  } finally {
    typed = reading.decided();
  }

  const qualification = mergeQualification(state.qualification, decision.learned);
  const nextState: ConversationAgentState = {
    language: decision.language,
    qualification,
    leadScore: leadScore(qualification),
    askedField: openQuestionAfter(decision),
    askedFields: askedFieldsAfter(decision, state.askedFields),
    lastIntent: decision.intent,
    handoff: state.handoff,
  };

  // The reply must not overtake a typing indicator (see reading-signals.ts). Inside a job the reply is
  // saved meanwhile and the send this worker runs next waits for the indicator. Outside one it is
  // awaited first. A send that cannot be handed over (an earlier send of the conversation is still
  // queued) waits behind that one; the reply then waits for the indicator before it ends.
  const handoff = ctx.handoff;
  if (!handoff) await typed;

  let queued = null as { message: Message; conversation: Conversation } | null;
  await ctx.store.transaction(async (tx) => {
    queued = null;
    // A person may have taken the conversation over while the agent thought: then nothing is said or
    // saved. Except for a handoff (whose record shapes the state), saving the state is that check; a
    // plain answer is saved with it, in the same write.
    if (decision.kind === "reply" || decision.kind === "question") {
      queued = await queueBotReply(tx, { conversation, state: nextState, answeredThroughSeq: lastSeq, modes: BOT_MODES, text: decision.text, now, handoff });
      if (queued) await tx.jobs.completeWithin(handoff);
      return;
    }
    const current =
      decision.kind === "handoff"
        ? await tx.getConversation(tenantId, conversationId)
        : await tx.saveAgentStateInMode(tenantId, conversationId, nextState, now, lastSeq, BOT_MODES);
    if (!current || !botMayReply(current.mode)) return;
    const say = async (body: string) => {
      const message = await queueOutbound(tx, { conversation: current, sender: "bot", purpose: "reply", content: { type: "text", text: { body } }, now, handoff });
      queued = { message, conversation: current };
    };
    switch (decision.kind) {
      case "handoff": {
        const { handoff, outOfHoursNotice } = await requestHandoff(tx, {
          conversation: current,
          contact,
          reason: decision.reason,
          priority: decision.priority,
          team: decision.team,
          summary: decision.summary,
          preferredRepId: contact?.crmOwnerId ?? null,
          actor: "bot",
          now,
        });
        nextState.handoff = { reason: handoff.reason, priority: handoff.priority, team: handoff.team, summary: decision.summary, at: now };
        await say(outOfHoursNotice ?? decision.customerNotice);
        await tx.saveAgentState(tenantId, conversationId, nextState, now, lastSeq);
        break;
      }
      case "opt_out":
        if (contact) await tx.setContactOptOut(tenantId, contact.id, true, now);
        await say(decision.text);
        break;
      case "none":
        break;
      default:
        decision satisfies never;
    }
    await tx.jobs.completeWithin(handoff);
  });
  if (handoff?.claimed && queued) handoff.carry = carryToSend({ ...queued, contact, notBefore: typed });
  else if (handoff) await typed;
  ctx.metrics.agentDecisions.inc({ kind: decision.kind });
  if (decision.kind === "handoff") ctx.metrics.handoffs.inc({ reason: decision.reason });
  return decision.kind;
}
