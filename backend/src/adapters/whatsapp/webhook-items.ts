/**
 * Splits a webhook body into independent items: every entry, every change, every message, status and
 * value-level error. Meta batches up to 1,000 updates in one POST and several popular libraries read
 * only the first; here each item is parsed on its own, so one malformed item becomes a `malformed`
 * item instead of hiding its neighbours. Messages come before statuses (a failing status must never
 * delay a customer's message).
 */
import {
  ZInboundMessage,
  ZMessageStatus,
  ZMessagesChangeValue,
  ZWebhookChange,
  ZWebhookContact,
  ZWebhookEntry,
  ZWebhookEnvelope,
  ZWebhookError,
  type InboundMessage,
  type MessageStatus,
  type WebhookContact,
  type WebhookError,
} from "@salesbot/shared";
import { z } from "zod";

export type WebhookItem =
  | { kind: "message"; phoneNumberId: string; contact: WebhookContact | null; message: InboundMessage }
  | { kind: "status"; phoneNumberId: string; status: MessageStatus }
  | { kind: "value_error"; phoneNumberId: string; error: WebhookError }
  | { kind: "unknown_field"; field: string; value: unknown }
  | { kind: "malformed"; phoneNumberId: string | null; where: string; problem: string; raw: unknown };

function problemOf(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

function contactFor(message: InboundMessage, contacts: WebhookContact[]): WebhookContact | null {
  const match = contacts.find(
    (c) => (message.from !== undefined && c.wa_id === message.from) || (message.from_user_id !== undefined && c.user_id === message.from_user_id),
  );
  if (match) return match;
  // Meta's own BSUID example spells the same id differently in contacts and messages; one contact is the sender.
  return contacts.length === 1 ? contacts[0]! : null;
}

export function splitWebhook(body: unknown): { items: WebhookItem[]; envelopeProblem: string | null } {
  const envelope = ZWebhookEnvelope.safeParse(body);
  if (!envelope.success) return { items: [], envelopeProblem: problemOf(envelope.error) };
  const messages: WebhookItem[] = [];
  const rest: WebhookItem[] = [];

  envelope.data.entry.forEach((rawEntry, e) => {
    const entry = ZWebhookEntry.safeParse(rawEntry);
    if (!entry.success) {
      rest.push({ kind: "malformed", phoneNumberId: null, where: `entry[${e}]`, problem: problemOf(entry.error), raw: rawEntry });
      return;
    }
    entry.data.changes.forEach((rawChange, c) => {
      const where = `entry[${e}].changes[${c}]`;
      const change = ZWebhookChange.safeParse(rawChange);
      if (!change.success) {
        rest.push({ kind: "malformed", phoneNumberId: null, where, problem: problemOf(change.error), raw: rawChange });
        return;
      }
      if (change.data.field !== "messages") {
        rest.push({ kind: "unknown_field", field: change.data.field, value: change.data.value });
        return;
      }
      const value = ZMessagesChangeValue.safeParse(change.data.value);
      if (!value.success) {
        rest.push({ kind: "malformed", phoneNumberId: null, where: `${where}.value`, problem: problemOf(value.error), raw: change.data.value });
        return;
      }
      const phoneNumberId = value.data.metadata.phone_number_id;
      const contacts = (value.data.contacts ?? []).flatMap((raw) => {
        const contact = ZWebhookContact.safeParse(raw);
        return contact.success ? [contact.data] : [];
      });
      (value.data.messages ?? []).forEach((raw, m) => {
        const message = ZInboundMessage.safeParse(raw);
        if (message.success) messages.push({ kind: "message", phoneNumberId, contact: contactFor(message.data, contacts), message: message.data });
        else rest.push({ kind: "malformed", phoneNumberId, where: `${where}.value.messages[${m}]`, problem: problemOf(message.error), raw });
      });
      (value.data.statuses ?? []).forEach((raw, s) => {
        const status = ZMessageStatus.safeParse(raw);
        if (status.success) rest.push({ kind: "status", phoneNumberId, status: status.data });
        else rest.push({ kind: "malformed", phoneNumberId, where: `${where}.value.statuses[${s}]`, problem: problemOf(status.error), raw });
      });
      (value.data.errors ?? []).forEach((raw, x) => {
        const error = ZWebhookError.safeParse(raw);
        if (error.success) rest.push({ kind: "value_error", phoneNumberId, error: error.data });
        else rest.push({ kind: "malformed", phoneNumberId, where: `${where}.value.errors[${x}]`, problem: problemOf(error.error), raw });
      });
    });
  });
  return { items: [...messages, ...rest], envelopeProblem: null };
}

/** A queued item, read back from a job payload. */
export const ZWebhookItem = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), phoneNumberId: z.string(), contact: ZWebhookContact.nullable(), message: ZInboundMessage }),
  z.object({ kind: z.literal("status"), phoneNumberId: z.string(), status: ZMessageStatus }),
  z.object({ kind: z.literal("value_error"), phoneNumberId: z.string(), error: ZWebhookError }),
]);
export type RoutedWebhookItem = z.infer<typeof ZWebhookItem>;
