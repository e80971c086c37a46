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
  event: "event.publish",
  routeHandoff: "handoff.route",
  slaCheck: "handoff.sla_check",
  stillWaiting: "handoff.still_waiting",
  followUp: "followup.send",
  idleCheck: "handoff.idle_check",
  templatesSync: "templates.sync",
  prune: "maintenance.prune",
  webhookDeliver: "webhook.deliver",
} as const;

/** `id` is absent from events queued before it existed; their job id stands in. */
export const ZEventPayload = z.object({ id: z.string().min(1).optional(), tenantId: z.string(), type: z.string(), data: z.record(z.string(), z.unknown()), at: z.number() });
export const ZWebhookDeliverPayload = z.object({ tenantId: z.string(), deliveryId: z.string() });
export const ZFollowUpPayload = z.object({ tenantId: z.string(), followUpId: z.number().int().positive() });
export const ZIdleCheckPayload = z.object({ tenantId: z.string(), conversationId: z.string(), lastActivityAt: z.number() });
export const ZTemplatesSyncPayload = z.object({ tenantId: z.string(), phoneNumberId: z.string() });
export const ZPrunePayload = z.object({ retentionDays: z.number().int().positive() });
export const ZHandoffJobPayload = z.object({ tenantId: z.string(), handoffId: z.string() });
export const ZSlaCheckPayload = z.object({ tenantId: z.string(), handoffId: z.string(), clock: z.enum(["firstResponse", "nextResponse", "resolution"]), kind: z.enum(["warning", "breach"]), dueAt: z.number() });
