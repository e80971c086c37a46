/**
 * Rows of the core tables as the drivers return them, their mapping to domain objects, and column
 * lists for reading several tables in one joined statement (each table's columns under a prefix).
 */
import { ZQualification, type Intent, type Language, type QualificationField } from "@salesbot/shared";
import type { ConversationMode } from "../../domain/conversation-mode.js";
import type { Contact, Conversation, HandoffRecord, Message, StoredWebhookEvent } from "../../domain/ports/store.js";

export interface ContactRow {
  id: string;
  tenant_id: string;
  wa_id: string | null;
  user_id: string | null;
  parent_user_id: string | null;
  profile_name: string | null;
  username: string | null;
  phone_e164: string | null;
  opted_out: number;
  vip: number;
  deal_value: number | null;
  crm_owner_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConversationRow {
  id: string;
  tenant_id: string;
  phone_number_id: string;
  contact_id: string;
  mode: string;
  last_inbound_at: number | null;
  last_inbound_wamid: string | null;
  answered_through_seq: number;
  language: string | null;
  qualification: string | null;
  lead_score: number;
  asked_field: string | null;
  asked_fields: string | null;
  last_intent: string | null;
  handoff: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  seq: number;
  tenant_id: string;
  conversation_id: string;
  direction: string;
  sender: string;
  wamid: string | null;
  type: string;
  text: string | null;
  payload: string;
  status: string;
  errors: string | null;
  wa_timestamp: number | null;
  created_at: number;
}

export const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    waId: row.wa_id,
    userId: row.user_id,
    parentUserId: row.parent_user_id,
    profileName: row.profile_name,
    username: row.username,
    phoneE164: row.phone_e164,
    optedOut: Number(row.opted_out) === 1,
    vip: Number(row.vip) === 1,
    dealValue: row.deal_value === null ? null : Number(row.deal_value),
    crmOwnerId: row.crm_owner_id ?? null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    phoneNumberId: row.phone_number_id,
    contactId: row.contact_id,
    mode: row.mode as ConversationMode,
    lastInboundAt: nullableNumber(row.last_inbound_at),
    lastInboundWamid: row.last_inbound_wamid,
    answeredThroughSeq: Number(row.answered_through_seq),
    agent: {
      language: row.language as Language | null,
      qualification: ZQualification.parse(row.qualification === null ? {} : JSON.parse(row.qualification)),
      leadScore: Number(row.lead_score),
      askedField: row.asked_field as QualificationField | null,
      askedFields: row.asked_fields === null ? [] : (JSON.parse(row.asked_fields) as QualificationField[]),
      lastIntent: row.last_intent as Intent | null,
      handoff: row.handoff === null ? null : (JSON.parse(row.handoff) as HandoffRecord),
    },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    seq: Number(row.seq),
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    direction: row.direction as Message["direction"],
    sender: row.sender as Message["sender"],
    wamid: row.wamid,
    type: row.type,
    text: row.text,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status as Message["status"],
    errors: row.errors === null ? null : (JSON.parse(row.errors) as unknown[]),
    waTimestamp: nullableNumber(row.wa_timestamp),
    createdAt: Number(row.created_at),
  };
}

export interface WebhookEventRow {
  id: number;
  body: string;
  body_sha256: string;
  received_at: number;
}

export function toStoredWebhookEvent(row: WebhookEventRow): StoredWebhookEvent {
  return { id: Number(row.id), body: row.body, bodySha256: row.body_sha256, receivedAt: Number(row.received_at) };
}

/** Every column of a row type, checked by the compiler against the interface in both directions. */
const columnsOf = <Row>(columns: Record<keyof Row, true>): Array<keyof Row & string> => Object.keys(columns) as Array<keyof Row & string>;

export const contactColumns = columnsOf<ContactRow>({
  id: true,
  tenant_id: true,
  wa_id: true,
  user_id: true,
  parent_user_id: true,
  profile_name: true,
  username: true,
  phone_e164: true,
  opted_out: true,
  vip: true,
  deal_value: true,
  crm_owner_id: true,
  created_at: true,
  updated_at: true,
});

export const conversationColumns = columnsOf<ConversationRow>({
  id: true,
  tenant_id: true,
  phone_number_id: true,
  contact_id: true,
  mode: true,
  last_inbound_at: true,
  last_inbound_wamid: true,
  answered_through_seq: true,
  language: true,
  qualification: true,
  lead_score: true,
  asked_field: true,
  asked_fields: true,
  last_intent: true,
  handoff: true,
  created_at: true,
  updated_at: true,
});

export const messageColumns = columnsOf<MessageRow>({
  seq: true,
  tenant_id: true,
  conversation_id: true,
  direction: true,
  sender: true,
  wamid: true,
  type: true,
  text: true,
  payload: true,
  status: true,
  errors: true,
  wa_timestamp: true,
  created_at: true,
});

/** `alias.col AS alias__col, …`: a table's columns in a joined select, kept apart from the others'. */
export const selectPrefixed = (alias: string, columns: readonly string[]): string => columns.map((column) => `${alias}.${column} AS ${alias}__${column}`).join(", ");

/**
 * The row of one table out of a joined select made with `selectPrefixed`; null where an outer join
 * found none (its key column is null).
 */
export function unprefixed<Row>(row: Record<string, unknown>, alias: string, columns: ReadonlyArray<keyof Row & string>, key: keyof Row & string): Row | null {
  if (row[`${alias}__${key}`] === null || row[`${alias}__${key}`] === undefined) return null;
  return Object.fromEntries(columns.map((column) => [column, row[`${alias}__${column}`]])) as Row;
}
