/**
 * Wire format of the WhatsApp Cloud API `messages` webhook, as Meta documents it and as real senders
 * produce it. Every object is loose (unknown fields are kept) and almost every field is optional,
 * because Meta adds fields over time and old, BSP and BSUID payloads leave out fields the docs call
 * required. The envelope is parsed level by level so one malformed item never hides the others.
 */
import { z } from "zod";

/** Meta sends Unix seconds as strings; some libraries and fixtures use numbers. */
export const ZUnixSeconds = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number);

export const ZWebhookError = z.looseObject({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof ZWebhookError>;

export const ZWebhookContact = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  parent_user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});
export type WebhookContact = z.infer<typeof ZWebhookContact>;

/** The fields every inbound message shares; the type-specific object stays in the raw item. */
export const ZInboundMessage = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  timestamp: ZUnixSeconds.optional(),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  from_parent_user_id: z.string().optional(),
  context: z.looseObject({ id: z.string().optional(), from: z.string().optional() }).optional(),
  errors: z.array(ZWebhookError).optional(),
  text: z.looseObject({ body: z.string() }).optional(),
});
export type InboundMessage = z.infer<typeof ZInboundMessage>;

/** An audio message recorded in WhatsApp itself (Meta marks it `voice: true`), not a file sent as audio. */
export const ZVoiceNote = z.looseObject({ type: z.literal("audio"), audio: z.looseObject({ voice: z.literal(true) }) });

export function isVoiceNote(message: unknown): boolean {
  return ZVoiceNote.safeParse(message).success;
}

export const ZMessageStatus = z.looseObject({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: ZUnixSeconds.optional(),
  recipient_id: z.string().optional(),
  recipient_user_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(ZWebhookError).optional(),
  pricing: z.looseObject({ category: z.string().optional(), type: z.string().optional() }).optional(),
});
export type MessageStatus = z.infer<typeof ZMessageStatus>;

export const ZChangeMetadata = z.looseObject({
  phone_number_id: z.string().min(1),
  display_phone_number: z.string().optional(),
});

/** `value` of a `messages` change. Arrays stay `unknown[]` so each item is parsed on its own. */
export const ZMessagesChangeValue = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: ZChangeMetadata,
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const ZWebhookChange = z.looseObject({ field: z.string(), value: z.unknown() });
export const ZWebhookEntry = z.looseObject({ id: z.string().optional(), changes: z.array(z.unknown()) });
export const ZWebhookEnvelope = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });
export type WebhookEnvelope = z.infer<typeof ZWebhookEnvelope>;
