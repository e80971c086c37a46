/**
 * Every business message, bot or human, is stored before it is sent and sent by a job. The 24-hour
 * window is checked here, when the message is written, so a caller learns at once that free text is
 * no longer allowed; the send job checks again, because time passes between the two.
 */
import type { SendMessageRequest } from "@salesbot/shared";
import { AppError } from "../domain/errors.js";
import { maySend, type OutboundKind } from "../domain/reply-window.js";
import type { JobHandoff } from "../domain/ports/jobs.js";
import type { Conversation, Message, MessageSender, StoreTx } from "../domain/ports/store.js";
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
  const verdict = maySend(outboundKind(content), conversation.lastInboundAt, now);
  if (!verdict.allowed) {
    throw new AppError("window_closed", "The customer has not written in the last 24 hours: only an approved template can be sent now.");
  }
  const message = await tx.insertOutboundMessage({
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    sender: input.sender,
    type: content.type,
    text: renderOutbound(content),
    payload: content,
    createdAt: now,
  });
  await tx.jobs.enqueue({
    kind: jobKinds.send,
    tenantId: conversation.tenantId,
    lane: `send:${conversation.id}`,
    payload: { tenantId: conversation.tenantId, seq: message.seq },
    runAt: now,
    maxAttempts: 12,
  }, input.handoff);
  return message;
}
