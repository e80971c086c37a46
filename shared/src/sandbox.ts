/**
 * The sandbox phone page talks to the built-in WhatsApp simulator with these shapes.
 */
import { z } from "zod";

export const ZPhoneMessage = z.object({
  id: z.string(),
  direction: z.enum(["from_customer", "to_customer"]),
  type: z.string(),
  text: z.string(),
  at: z.number(),
  /** Delivery ticks of messages the business sent. */
  status: z.enum(["sent", "delivered", "read", "failed"]).nullable(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  listRows: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })).optional(),
});
export type PhoneMessage = z.infer<typeof ZPhoneMessage>;

export const ZPhoneState = z.object({
  customer: z.object({ waId: z.string(), name: z.string() }),
  business: z.object({ name: z.string(), displayPhoneNumber: z.string() }),
  typing: z.boolean(),
  messages: z.array(ZPhoneMessage),
});
export type PhoneState = z.infer<typeof ZPhoneState>;

export const ZPhoneSend = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().min(1).max(4096) }),
  z.object({ type: z.literal("button_reply"), replyTo: z.string(), id: z.string(), title: z.string() }),
  z.object({ type: z.literal("list_reply"), replyTo: z.string(), id: z.string(), title: z.string() }),
]);
export type PhoneSend = z.infer<typeof ZPhoneSend>;
