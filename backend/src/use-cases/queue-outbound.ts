/**
 * Every business message, bot or human, is stored before it is sent and sent by a job. The 24-hour
 * window is checked here, when the message is written, so a caller learns at once that free text is
 * no longer allowed; the send job checks again, because time passes between the two.
 */
import type { SendMessageRequest } from "@salesbot/shared";
import { AppError } from "../domain/errors.js";
import { maySend, type OutboundKind } from "../domain/reply-window.js";
import type { JobHandoff } from "../domain/ports/jobs.js";
import type { ConversationMode } from "../domain/conversation-mode.js";
import type { Conversation, ConversationAgentState, Message, MessageSender, OutboundContentRecord, StoreTx } from "../domain/ports/store.js";
import { jobKinds } from "../jobs/job-kinds.js";

type WithoutRecipient<T> = T extends unknown ? Omit<T, "messaging_product" | "recipient_type" | "to" | "recipient" | "biz_opaque_callback_data"> : never;
/** The content of a send, without the recipient (added at send time from the contact). */
export type OutboundContent = WithoutRecipient<SendMessageRequest>;

export function outboundKind(content: OutboundContent): OutboundKind {
  switch (content.type) {
    case "text":
      return "text";
    case "interactive":
      return "interactive";
    case "template":
      return "template";
    case "image":
    case "document":
    case "audio":
    case "video":
      return "media";
    default:
      return content satisfies never;
  }
}

export function renderOutbound(content: OutboundContent): string {
  switch (content.type) {
    case "text":
      return content.text.body;
    case "interactive":
      return content.interactive.body.text;
    case "template":
      return `[template ${content.template.name}]`;
    case "image":
    case "document":
    case "audio":
    case "video":
      return `[${content.type}]`;
    default:
      return content satisfies never;
  }
}

export async function queueOutbound(
  tx: StoreTx,
  input: {
    conversation: Conversation;
    sender: Exclude<MessageSender, "customer">;
    /** A reply to the customer, or a message the business starts (follow-up, campaign): opted-out customers get none of those. */
    purpose: "reply" | "business_initiated";
    content: OutboundContent;
    now: number;
    /** Inside a job: hand the send job to the running worker. */
    handoff?: JobHandoff;
  },
): Promise<Message> {
  const { conversation, content, now } = input;
  if (input.purpose === "business_initiated") {
    const contact = await tx.getContact(conversation.tenantId, conversation.contactId);
    if (contact?.optedOut) throw new AppError("opted_out", "The customer opted out of messages from this business; they must opt in again first.");
  }
  assertMaySend(content, conversation, now);
  const message = await tx.insertOutboundMessage({ tenantId: conversation.tenantId, conversationId: conversation.id, ...recordOf(input.sender, content), createdAt: now });
  await queueSend(tx, message, input.handoff);
  return message;
}

/**
 * The bot's reply and the agent state it comes from, saved in one write while the conversation is in
 * one of `modes`: null, and nothing saved or queued, when it is not (a person took it over while the
 * agent thought). `conversation` may be as read before the agent ran: the window it is checked
 * against only ever widens.
 */
export async function queueBotReply(
  tx: StoreTx,
  input: {
    conversation: Conversation;
    state: ConversationAgentState;
    answeredThroughSeq: number;
    modes: readonly ConversationMode[];
    text: string;
    now: number;
    handoff?: JobHandoff;
  },
): Promise<{ message: Message; conversation: Conversation } | null> {
  const { conversation, now } = input;
  const content: OutboundContent = { type: "text", text: { body: input.text } };
  assertMaySend(content, conversation, now);
  const saved = await tx.saveAgentStateWithReply(conversation.tenantId, conversation.id, input.state, now, input.answeredThroughSeq, input.modes, recordOf("bot", content));
  if (!saved) return null;
  await queueSend(tx, saved.message, input.handoff);
  return saved;
}

function assertMaySend(content: OutboundContent, conversation: Conversation, now: number): void {
  if (!maySend(outboundKind(content), conversation.lastInboundAt, now).allowed) {
    throw new AppError("window_closed", "The customer has not written in the last 24 hours: only an approved template can be sent now.");
  }
}

function recordOf(sender: Exclude<MessageSender, "customer">, content: OutboundContent): OutboundContentRecord {
  return { sender, type: content.type, text: renderOutbound(content), payload: content };
}

async function queueSend(tx: StoreTx, message: Message, handoff: JobHandoff | undefined): Promise<void> {
  await tx.jobs.enqueue({
    kind: jobKinds.send,
    tenantId: message.tenantId,
    lane: `send:${message.conversationId}`,
    payload: { tenantId: message.tenantId, seq: message.seq },
    runAt: message.createdAt,
    maxAttempts: 12,
  }, handoff);
}
