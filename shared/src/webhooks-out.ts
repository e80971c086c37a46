/**
 * Outgoing webhooks: what an operator sends to subscribe a URL (n8n, Make, any HTTP endpoint), what
 * the admin API shows back, and the body every delivery carries. The signing secret appears in one
 * response only, the one that created the subscription.
 */
import { z } from "zod";

/** Events a subscription can ask for. `ping` is not subscribable: it is sent on request only. */
export const outgoingEventTypes = [
  "handoff.created",
  "handoff.assigned",
  "sla.warning",
  "sla.breached",
  "conversation.resolved",
  "conversation.returned_to_bot",
] as const;
export const ZOutgoingEventType = z.enum(outgoingEventTypes);
export type OutgoingEventType = z.infer<typeof ZOutgoingEventType>;

export const ZCreateWebhookRequest = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(ZOutgoingEventType).min(1).nullable().default(null).describe("null: every event type, including ones added later"),
  active: z.boolean().default(true),
  description: z.string().max(200).nullable().default(null),
});
export type CreateWebhookRequest = z.infer<typeof ZCreateWebhookRequest>;

export const ZWebhookSubscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(ZOutgoingEventType).nullable(),
  active: z.boolean(),
  description: z.string().nullable(),
  createdAt: z.number(),
});
export type WebhookSubscriptionView = z.infer<typeof ZWebhookSubscriptionView>;

export const ZCreatedWebhook = ZWebhookSubscriptionView.extend({
  secret: z.string().describe("The HMAC signing secret. Shown in this response only: store it now."),
});
export type CreatedWebhook = z.infer<typeof ZCreatedWebhook>;

export const ZDeliveryState = z.enum(["pending", "delivered", "failed"]);
export const ZAttemptOutcome = z.enum(["delivered", "retry", "failed"]);

export const ZDeliveryAttemptView = z.object({
  attempt: z.number().int().positive(),
  at: z.number(),
  statusCode: z.number().int().nullable().describe("null: no HTTP answer (timeout, refused connection, DNS)"),
  durationMs: z.number().int().nonnegative(),
  outcome: ZAttemptOutcome,
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable().describe("The first few hundred characters of the answer, nothing more is kept"),
  nextRetryAt: z.number().nullable(),
});
export type DeliveryAttemptView = z.infer<typeof ZDeliveryAttemptView>;

export const ZWebhookDeliveryView = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  state: ZDeliveryState,
  attempts: z.array(ZDeliveryAttemptView),
  nextRetryAt: z.number().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
});
export type WebhookDeliveryView = z.infer<typeof ZWebhookDeliveryView>;

/** The JSON body of every delivery. `id` is the event's: a receiver dedupes on it. */
export const ZOutgoingEvent = z.object({
  id: z.string(),
  type: z.union([ZOutgoingEventType, z.literal("ping")]),
  tenantId: z.string(),
  occurredAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type OutgoingEvent = z.infer<typeof ZOutgoingEvent>;
