/**
 * The persistence port. Two adapters implement it (embedded SQLite, PostgreSQL) and one contract suite
 * runs against both. Every record but the raw webhook event belongs to a tenant, and every method that
 * reads tenant data takes the tenant id: isolation does not depend on callers remembering a filter.
 */
import type { AgentSettings, HandoffReason, HandoffSummary, Intent, KnowledgeEntry, Language, Priority, Qualification, QualificationField } from "@salesbot/shared";
import type { ConversationMode } from "../conversation-mode.js";
import type { DeliveryStatus } from "../delivery-status.js";
import type { HandoffRepository } from "./handoffs.js";
import type { RepToolsRepository } from "./rep-tools.js";
import type { ClaimAtInsert, ClaimedJob, JobQueue } from "./jobs.js";
import type { WebhookRepository } from "./webhooks.js";

export interface CrmRecordRef {
  crm: "hubspot" | "salesforce";
  objectType: "contact" | "deal" | "lead" | "opportunity" | "company" | "account";
  objectId: string;
}

export interface ConversationStats {
  conversations: number;
  handedOff: number;
  /** Conversations in the range the bot handled without any handoff. */
  botResolved: number;
  firstResponseMedianMs: number | null;
  slaMissed: number;
}

export interface Tenant {
  id: string;
  name: string;
  createdAt: number;
}

export interface WhatsAppNumber {
  tenantId: string;
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  /** Decrypted on read; stored encrypted. Null when the number has no token yet. */
  accessToken: string | null;
  sendingPausedReason: string | null;
  /** The WhatsApp Business Account (WABA) the number belongs to: where its templates live. */
  businessAccountId: string | null;
}

export interface ContactIdentity {
  waId: string | null;
  userId: string | null;
  parentUserId: string | null;
  profileName: string | null;
  username: string | null;
}

export interface Contact extends ContactIdentity {
  id: string;
  tenantId: string;
  phoneE164: string | null;
  optedOut: boolean;
  /** Facts the CRM owns, kept here for the agent: a VIP flag and the open deal's value. */
  vip: boolean;
  dealValue: number | null;
  /** The CRM user who owns this customer (HubSpot owner, Salesforce owner): handoffs go to them first. */
  crmOwnerId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Conversation {
  id: string;
  tenantId: string;
  phoneNumberId: string;
  contactId: string;
  mode: ConversationMode;
  lastInboundAt: number | null;
  lastInboundWamid: string | null;
  /** Inbound messages up to this sequence number have been answered (or deliberately not). */
  answeredThroughSeq: number;
  agent: ConversationAgentState;
  createdAt: number;
  updatedAt: number;
}

export interface HandoffRecord {
  reason: HandoffReason;
  priority: Priority;
  team: string;
  summary: HandoffSummary;
  at: number;
}

/** What the agent keeps between turns. */
export interface ConversationAgentState {
  language: Language | null;
  qualification: Qualification;
  leadScore: number;
  askedField: QualificationField | null;
  /** Every qualification question asked so far: none is asked twice. */
  askedFields: QualificationField[];
  lastIntent: Intent | null;
  handoff: HandoffRecord | null;
}

export type MessageDirection = "inbound" | "outbound";
export type MessageSender = "customer" | "bot" | "human" | "system";

export interface Message {
  seq: number;
  tenantId: string;
  conversationId: string;
  direction: MessageDirection;
  sender: MessageSender;
  wamid: string | null;
  type: string;
  /** A readable rendering of the content, for the agent and the UIs. */
  text: string | null;
  /** The message as received, or the Graph request to send. */
  payload: unknown;
  status: DeliveryStatus | "received";
  errors: unknown[] | null;
  waTimestamp: number | null;
  createdAt: number;
}

export interface NewInboundMessage {
  tenantId: string;
  conversationId: string;
  wamid: string;
  type: string;
  text: string | null;
  payload: unknown;
  waTimestamp: number | null;
  receivedAt: number;
}

export interface StoredWebhookEvent {
  id: number;
  body: string;
  bodySha256: string;
  receivedAt: number;
}

/** A conversation with its contact and, where asked for, its latest messages, oldest first. */
export interface ConversationWithContact {
  conversation: Conversation;
  contact: Contact | null;
  recent: Message[];
}

export interface MessageForSending {
  message: Message;
  conversation: Conversation | null;
  contact: Contact | null;
}

/** What is stored of an outbound message's content: its type, its text as shown in the inbox, the request payload. */
export interface OutboundContentRecord {
  sender: Exclude<MessageSender, "customer">;
  type: string;
  text: string | null;
  payload: unknown;
}

export interface NewOutboundMessage extends OutboundContentRecord {
  tenantId: string;
  conversationId: string;
  createdAt: number;
}

export interface StatusUpdate {
  tenantId: string;
  wamid: string;
  /** Our own message sequence, echoed by Meta in biz_opaque_callback_data. */
  seq: number | null;
  status: DeliveryStatus;
  errors: unknown[] | null;
  at: number;
}

export interface MediaObject {
  tenantId: string;
  mediaId: string;
  messageSeq: number;
  mimeType: string;
  sha256: string | null;
  bytes: Uint8Array;
  storedAt: number;
}

/** Something Meta sent that is not a message or a status: value-level errors, unknown fields, items we could not route or parse. Kept, never dropped. */
export interface ChannelEventRecord {
  tenantId: string | null;
  phoneNumberId: string | null;
  kind: "value_error" | "unknown_field" | "unrouted" | "malformed";
  code: number | null;
  title: string | null;
  detail: unknown;
  at: number;
}

export interface Alert {
  id: number;
  tenantId: string | null;
  kind: string;
  message: string;
  at: number;
}

export interface WebhookEventInput {
  body: string;
  bodySha256: string;
  receivedAt: number;
}

/** Repositories usable inside a transaction. */
export interface StoreTx {
  readonly jobs: JobQueue;
  readonly handoffs: HandoffRepository;
  readonly repTools: RepToolsRepository;
  readonly webhooks: WebhookRepository;

  /**
   * Inside a transaction: `effect` runs once the transaction has committed, never when it rolls back.
   * A store may run a transaction's work a second time after undoing the first run (PostgreSQL group
   * commit), so what the work changes outside the store (a metric, say) belongs here. Outside a
   * transaction: at once.
   */
  afterCommit(effect: () => void): void;

  upsertTenant(tenant: { id: string; name: string }, now: number): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | null>;
  upsertWhatsAppNumber(number: Omit<WhatsAppNumber, "sendingPausedReason" | "businessAccountId"> & { businessAccountId?: string | null }): Promise<void>;
  findWhatsAppNumber(phoneNumberId: string): Promise<WhatsAppNumber | null>;
  setSendingPaused(tenantId: string, phoneNumberId: string, reason: string | null): Promise<void>;

  upsertContact(tenantId: string, identity: ContactIdentity, now: number): Promise<Contact>;
  getContact(tenantId: string, contactId: string): Promise<Contact | null>;
  /** The tenant's contacts among `contactIds`; ids of other tenants' contacts are skipped. */
  getContacts(tenantId: string, contactIds: readonly string[]): Promise<Contact[]>;
  /** The customer changed number: the same person now writes from `newWaId`. */
  changeContactWaId(tenantId: string, oldWaId: string, newWaId: string, now: number): Promise<void>;
  /**
   * Meta gave the customer a new business-scoped user id (their BSUID changed, or came new with a new
   * number): the same person now writes as `next.userId`. Unless that id is already another contact's.
   */
  changeContactUserId(tenantId: string, previousUserId: string, next: { userId: string; parentUserId: string | null }, now: number): Promise<void>;

  getOrCreateConversation(tenantId: string, phoneNumberId: string, contactId: string, now: number): Promise<Conversation>;
  /** `upsertContact`, then `getOrCreateConversation` for that contact on this number: what each customer message needs, in one step. */
  upsertContactWithConversation(tenantId: string, identity: ContactIdentity, phoneNumberId: string, now: number): Promise<{ contact: Contact; conversation: Conversation }>;
  getConversation(tenantId: string, conversationId: string): Promise<Conversation | null>;
  /**
   * The conversation and its contact in one read (null: no such conversation for this tenant), and with
   * `recentMessages`, that many of its latest messages, oldest first (as `listRecentMessages`).
   */
  getConversationWithContact(tenantId: string, conversationId: string, options?: { recentMessages?: number }): Promise<ConversationWithContact | null>;
  /**
   * Inside a transaction: `getConversationWithContact`, read after every write made so far in it, and
   * handed to `onRead` once the transaction has committed (never when it rolls back). PostgreSQL sends
   * the read with COMMIT, so it costs no round trip of its own.
   */
  readConversationAtCommit(
    tenantId: string,
    conversationId: string,
    options: { recentMessages?: number },
    onRead: (found: ConversationWithContact | null) => void,
  ): Promise<void>;
  listConversations(tenantId: string, limit: number): Promise<Conversation[]>;
  /** Conversations with the customer at this E.164 number (a CRM record's phone). */
  findConversationsByPhone(tenantId: string, phoneE164: string): Promise<Conversation[]>;
  /** Ties a conversation to a CRM record (a HubSpot contact or deal, a Salesforce contact, lead or opportunity). */
  linkCrmRecord(tenantId: string, conversationId: string, record: CrmRecordRef, now: number): Promise<void>;
  findConversationsByCrmRecord(tenantId: string, record: CrmRecordRef): Promise<Conversation[]>;
  listCrmLinks(tenantId: string, conversationId: string): Promise<CrmRecordRef[]>;
  /** Per-tenant figures for reports: how many conversations the bot handled alone, how fast people answered. */
  conversationStats(tenantId: string, range: { from: number; to: number }): Promise<ConversationStats>;
  setConversationMode(tenantId: string, conversationId: string, mode: ConversationMode, now: number): Promise<void>;
  markAnsweredThrough(tenantId: string, conversationId: string, seq: number, now: number): Promise<void>;
  /** Also moves the answered-through mark forward to `answeredThroughSeq` (never back), in the same write. */
  saveAgentState(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq?: number): Promise<void>;
  /**
   * As `saveAgentState`, only while the conversation is in one of `modes`: the conversation as saved,
   * or null (and nothing changed) when it is not, say because a person took it over meanwhile.
   */
  saveAgentStateInMode(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq: number, modes: readonly ConversationMode[]): Promise<Conversation | null>;
  /**
   * `saveAgentStateInMode` and `insertOutboundMessage` in one write: the agent's state and the reply it
   * decided on (queued, created at `now`) are saved together, or, when the conversation is no longer
   * in one of `modes`, neither is and the answer is null.
   */
  saveAgentStateWithReply(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq: number, modes: readonly ConversationMode[], reply: OutboundContentRecord): Promise<{ conversation: Conversation; message: Message } | null>;

  setContactOptOut(tenantId: string, contactId: string, optedOut: boolean, now: number): Promise<void>;
  setContactCrmFacts(tenantId: string, contactId: string, facts: { vip: boolean; dealValue: number | null; crmOwnerId?: string | null }, now: number): Promise<void>;

  getAgentSettings(tenantId: string): Promise<AgentSettings>;
  putAgentSettings(tenantId: string, settings: AgentSettings, now: number): Promise<void>;
  listKnowledge(tenantId: string): Promise<KnowledgeEntry[]>;
  /** Replaces a tenant's whole knowledge base. */
  replaceKnowledge(tenantId: string, entries: KnowledgeEntry[], now: number): Promise<void>;
  /** Changes whenever the tenant's knowledge base changes, so search indexes know when to rebuild. */
  knowledgeVersion(tenantId: string): Promise<string>;

  /** Idempotent on (tenant, wamid): returns null when the message was already stored. */
  insertInboundMessage(message: NewInboundMessage): Promise<Message | null>;
  insertOutboundMessage(message: NewOutboundMessage): Promise<Message>;
  getMessage(tenantId: string, seq: number): Promise<Message | null>;
  /** A message with its conversation and contact, read together: what sending it needs. Null: no such message. */
  getMessageForSending(tenantId: string, seq: number): Promise<MessageForSending | null>;
  findMessageByWamid(tenantId: string, wamid: string): Promise<Message | null>;
  listMessages(tenantId: string, conversationId: string, options?: { afterSeq?: number; limit?: number }): Promise<Message[]>;
  /** The conversation's last `limit` messages, oldest first. */
  listRecentMessages(tenantId: string, conversationId: string, limit: number): Promise<Message[]>;
  /** Records the wamid Meta gave a send, then applies any statuses that arrived before it. */
  markOutboundAccepted(tenantId: string, seq: number, wamid: string, now: number): Promise<void>;
  markOutboundFailed(tenantId: string, seq: number, errors: unknown[], now: number): Promise<void>;
  /** Moves the delivery status forward only; returns whether the message changed. */
  applyStatus(update: StatusUpdate): Promise<boolean>;
  /** Every status Meta reported for a wamid, including ones for messages we do not know (yet). */
  listStatusEvents(tenantId: string, wamid: string): Promise<Array<{ status: string; errors: unknown[] | null; at: number }>>;

  saveMedia(media: MediaObject): Promise<void>;
  getMedia(tenantId: string, mediaId: string): Promise<MediaObject | null>;
  /** Whether the media is stored, without reading its bytes (up to 100 MB). */
  hasMedia(tenantId: string, mediaId: string): Promise<boolean>;

  recordChannelEvent(event: ChannelEventRecord): Promise<void>;
  /** Newest first. */
  listChannelEvents(tenantId: string | null, limit: number): Promise<ChannelEventRecord[]>;
  raiseAlert(alert: Omit<Alert, "id">): Promise<void>;
  listAlerts(tenantId: string | null, limit: number): Promise<Alert[]>;
  /**
   * Reads a stored webhook delivery for processing and claims its bytes for it, in one step.
   * `firstDelivery` is false when another event already holds the same bytes: a redelivery, not to be
   * processed again. It is true again for the same event (a retried job). Null: no such event.
   */
  openWebhookEvent(eventId: number, at: number): Promise<{ event: StoredWebhookEvent; firstDelivery: boolean } | null>;
}

export interface Store extends StoreTx {
  readonly dialect: "sqlite" | "postgres";
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Durably records a raw webhook body and queues its processing; resolves once committed. Every
   * delivery is recorded, a redelivery of the same bytes too (see `openWebhookEvent`). With `claim`,
   * the processing job goes in as claimed by that worker and is returned; else it is pending and the
   * result is null.
   */
  recordWebhookEvent(event: WebhookEventInput, claim?: ClaimAtInsert): Promise<ClaimedJob | null>;
  getWebhookEvent(id: number): Promise<StoredWebhookEvent | null>;
  /** Deletes raw webhook bodies received before `before` whose processing is finished (a dead one is kept for replay). */
  pruneWebhookEvents(before: number): Promise<number>;
  /** Deletes outgoing-webhook deliveries (and their attempt log) finished before `before`. */
  pruneWebhookDeliveries(before: number): Promise<number>;
  ping(): Promise<void>;
  pendingMigrations(): Promise<number>;
  close(): Promise<void>;
}
