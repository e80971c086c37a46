/**
 * Wire format of the Graph API calls we make to send messages (POST /{version}/{phone-number-id}/messages)
 * and of the answers, as Meta documents them. Used by our client and by the simulator that stands in
 * for Meta, so both sides agree on one definition.
 */
import { z } from "zod";

const ZRecipient = {
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.enum(["individual", "group"]).optional(),
  to: z.string().optional(),
  /** A business-scoped user id, for customers who hide their phone number. */
  recipient: z.string().optional(),
  biz_opaque_callback_data: z.string().max(512).optional(),
  context: z.object({ message_id: z.string() }).optional(),
};

export const ZReplyButton = z.object({
  type: z.literal("reply"),
  reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
});

export const ZListRow = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(24),
  description: z.string().max(72).optional(),
});

export const ZInteractive = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("button"),
    body: z.object({ text: z.string().min(1).max(1024) }),
    footer: z.object({ text: z.string().max(60) }).optional(),
    action: z.object({ buttons: z.array(ZReplyButton).min(1).max(3) }),
  }),
  z.object({
    type: z.literal("list"),
    header: z.object({ type: z.literal("text"), text: z.string().max(60) }).optional(),
    body: z.object({ text: z.string().min(1).max(4096) }),
    footer: z.object({ text: z.string().max(60) }).optional(),
    action: z.object({
      button: z.string().min(1).max(20),
      sections: z
        .array(z.object({ title: z.string().max(24).optional(), rows: z.array(ZListRow).min(1).max(10) }))
        .min(1)
        .max(10),
    }),
  }),
]);

export const ZTemplateParameter = z.looseObject({ type: z.string(), parameter_name: z.string().optional() });
export const ZTemplate = z.object({
  name: z.string().min(1),
  language: z.object({ code: z.string().min(2) }),
  components: z
    .array(z.looseObject({ type: z.string(), sub_type: z.string().optional(), parameters: z.array(ZTemplateParameter).optional() }))
    .optional(),
});

const ZMediaObject = z
  .object({ id: z.string().optional(), link: z.string().url().optional(), caption: z.string().max(1024).optional(), filename: z.string().optional() })
  .refine((m) => Boolean(m.id) !== Boolean(m.link), "a media object needs exactly one of id or link");

export const ZSendMessageRequest = z.discriminatedUnion("type", [
  z.object({ ...ZRecipient, type: z.literal("text"), text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }) }),
  z.object({ ...ZRecipient, type: z.literal("interactive"), interactive: ZInteractive }),
  z.object({ ...ZRecipient, type: z.literal("template"), template: ZTemplate }),
  z.object({ ...ZRecipient, type: z.literal("image"), image: ZMediaObject }),
  z.object({ ...ZRecipient, type: z.literal("document"), document: ZMediaObject }),
  z.object({ ...ZRecipient, type: z.literal("audio"), audio: ZMediaObject }),
  z.object({ ...ZRecipient, type: z.literal("video"), video: ZMediaObject }),
]);
export type SendMessageRequest = z.infer<typeof ZSendMessageRequest>;

export const ZSendMessageResponse = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  contacts: z.array(z.looseObject({ input: z.string().optional(), wa_id: z.string().optional(), user_id: z.string().optional() })).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
export type SendMessageResponse = z.infer<typeof ZSendMessageResponse>;

/** Mark-as-read, optionally with the typing indicator (the same endpoint as sends). */
export const ZStatusUpdateRequest = z.object({
  messaging_product: z.literal("whatsapp"),
  status: z.literal("read"),
  message_id: z.string().min(1),
  typing_indicator: z.object({ type: z.literal("text") }).optional(),
});
export type StatusUpdateRequest = z.infer<typeof ZStatusUpdateRequest>;

export const ZSuccessResponse = z.looseObject({ success: z.boolean() });

export const ZGraphErrorBody = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof ZGraphErrorBody>;

/** GET /{version}/{media-id}: where to download the bytes (the URL lives 5 minutes). */
export const ZMediaUrlResponse = z.looseObject({
  url: z.string().url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string(),
});
export type MediaUrlResponse = z.infer<typeof ZMediaUrlResponse>;

/** GET /{version}/{waba-id}/message_templates: one page of the account's templates. */
export const ZTemplateListResponse = z.looseObject({
  data: z.array(
    z.looseObject({
      name: z.string(),
      language: z.string(),
      status: z.string(),
      category: z.string().optional(),
      components: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).default([]),
    }),
  ),
  paging: z.looseObject({ next: z.string().url().optional() }).optional(),
});
export type TemplateListResponse = z.infer<typeof ZTemplateListResponse>;
