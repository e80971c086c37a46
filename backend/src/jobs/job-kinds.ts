/**
 * Every job kind and its payload schema. Handlers parse their payload: a job written by an older
 * version, or edited by hand before a replay, fails loudly instead of half-working.
 */
import { z } from "zod";

export const ZWebhookProcessPayload = z.object({ eventId: z.number().int().positive() });
export const ZWebhookItemPayload = z.object({ tenantId: z.string(), item: z.unknown() });
export const ZConversationReplyPayload = z.object({ tenantId: z.string(), conversationId: z.string() });
export const ZSendPayload = z.object({ tenantId: z.string(), seq: z.number().int().positive() });
export const ZMediaPayload = z.object({ tenantId: z.string(), mediaId: z.string(), messageSeq: z.number().int().positive(), phoneNumberId: z.string() });

export const jobKinds = {
  webhookProcess: "webhook.process",
  webhookItem: "webhook.item",
  conversationReply: "conversation.reply",
  send: "whatsapp.send",
  media: "whatsapp.media",
} as const;
