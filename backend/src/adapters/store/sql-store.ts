/**
 * The store port over a SQL engine. One implementation for both engines: the statements are
 * portable SQL (both engines speak ON CONFLICT … RETURNING); the few differences live in the drivers,
 * the job queue and the webhook batcher.
 */
import { randomUUID } from "node:crypto";
import type { ConversationMode } from "../../domain/conversation-mode.js";
import { deliveryRank, parseDeliveryStatus, type DeliveryStatus } from "../../domain/delivery-status.js";
import { toE164 } from "../../domain/phone.js";
import type {
  Alert,
  ChannelEventRecord,
  Contact,
  ContactIdentity,
  Conversation,
  MediaObject,
  Message,
  NewInboundMessage,
  NewOutboundMessage,
  StatusUpdate,
  Store,
  StoreTx,
  WebhookEventInput,
  WhatsAppNumber,
} from "../../domain/ports/store.js";
import type { SecretBox } from "../../security/secret-box.js";
import { migrate, pendingMigrationCount } from "./migrations.js";
import type { SqlDriver, SqlExecutor } from "./sql-driver.js";
import { SqlJobQueue } from "./sql-jobs.js";
import { WebhookEventBatcher } from "./webhook-event-batcher.js";

interface ContactRow {
  id: string;
  tenant_id: string;
  wa_id: string | null;
  user_id: string | null;
  parent_user_id: string | null;
  profile_name: string | null;
  username: string | null;
  phone_e164: string | null;
  opted_out: number;
  created_at: number;
  updated_at: number;
}

interface ConversationRow {
  id: string;
  tenant_id: string;
  phone_number_id: string;
  contact_id: string;
  mode: string;
  last_inbound_at: number | null;
  last_inbound_wamid: string | null;
  answered_through_seq: number;
  created_at: number;
  updated_at: number;
}

interface MessageRow {
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

const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

function toContact(row: ContactRow): Contact {
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
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    phoneNumberId: row.phone_number_id,
    contactId: row.contact_id,
    mode: row.mode as ConversationMode,
    lastInboundAt: nullableNumber(row.last_inbound_at),
    lastInboundWamid: row.last_inbound_wamid,
    answeredThroughSeq: Number(row.answered_through_seq),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toMessage(row: MessageRow): Message {
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

class SqlStoreTx implements StoreTx {
  readonly jobs: SqlJobQueue;

  constructor(
    protected readonly db: SqlExecutor,
    protected readonly secrets: SecretBox,
    jobs?: SqlJobQueue,
  ) {
    this.jobs = jobs ?? new SqlJobQueue(db);
  }

  async upsertTenant(tenant: { id: string; name: string }, now: number): Promise<void> {
    await this.db.run(`INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, [
      tenant.id,
      tenant.name,
      now,
    ]);
  }

  async upsertWhatsAppNumber(number: Omit<WhatsAppNumber, "sendingPausedReason">): Promise<void> {
    const sealed = number.accessToken === null ? null : this.secrets.seal(number.accessToken);
    await this.db.run(
      `INSERT INTO whatsapp_numbers (phone_number_id, tenant_id, display_phone_number, access_token_enc) VALUES (?, ?, ?, ?)
       ON CONFLICT (phone_number_id) DO UPDATE SET tenant_id = excluded.tenant_id,
         display_phone_number = excluded.display_phone_number, access_token_enc = excluded.access_token_enc`,
      [number.phoneNumberId, number.tenantId, number.displayPhoneNumber, sealed],
    );
  }

  async findWhatsAppNumber(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    const [row] = await this.db.all<{
      phone_number_id: string;
      tenant_id: string;
      display_phone_number: string | null;
      access_token_enc: string | null;
      sending_paused_reason: string | null;
    }>(`SELECT * FROM whatsapp_numbers WHERE phone_number_id = ?`, [phoneNumberId]);
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      phoneNumberId: row.phone_number_id,
      displayPhoneNumber: row.display_phone_number,
      accessToken: row.access_token_enc === null ? null : this.secrets.open(row.access_token_enc),
      sendingPausedReason: row.sending_paused_reason,
    };
  }

  async setSendingPaused(tenantId: string, phoneNumberId: string, reason: string | null): Promise<void> {
    await this.db.run(`UPDATE whatsapp_numbers SET sending_paused_reason = ? WHERE tenant_id = ? AND phone_number_id = ?`, [
      reason,
      tenantId,
      phoneNumberId,
    ]);
  }

  private async findContactRows(tenantId: string, identity: ContactIdentity): Promise<ContactRow[]> {
    return this.db.all<ContactRow>(
      `SELECT * FROM contacts WHERE tenant_id = ? AND (user_id = ? OR wa_id = ?) ORDER BY created_at`,
      [tenantId, identity.userId, identity.waId],
    );
  }

  async upsertContact(tenantId: string, identity: ContactIdentity, now: number): Promise<Contact> {
    if (!identity.waId && !identity.userId) throw new Error("a contact needs a wa_id or a user_id");
    const phone = identity.waId ? toE164(identity.waId) : null;
    let [existing] = await this.findContactRows(tenantId, identity);
    if (!existing) {
      await this.db.run(
        `INSERT INTO contacts (id, tenant_id, wa_id, user_id, parent_user_id, profile_name, username, phone_e164, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [randomUUID(), tenantId, identity.waId, identity.userId, identity.parentUserId, identity.profileName, identity.username, phone, now, now],
      );
      [existing] = await this.findContactRows(tenantId, identity);
      if (!existing) throw new Error("contact vanished after insert");
      return toContact(existing);
    }
    // Fill in what the newer payload knows; never erase what an older one told us.
    await this.db.run(
      `UPDATE contacts SET wa_id = COALESCE(wa_id, ?), user_id = COALESCE(user_id, ?), parent_user_id = COALESCE(?, parent_user_id),
         profile_name = COALESCE(?, profile_name), username = COALESCE(?, username), phone_e164 = COALESCE(phone_e164, ?), updated_at = ?
       WHERE id = ? AND tenant_id = ?`,
      [identity.waId, identity.userId, identity.parentUserId, identity.profileName, identity.username, phone, now, existing.id, tenantId],
    );
    const [row] = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE id = ?`, [existing.id]);
    return toContact(row!);
  }

  async getContact(tenantId: string, contactId: string): Promise<Contact | null> {
    const [row] = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE tenant_id = ? AND id = ?`, [tenantId, contactId]);
    return row ? toContact(row) : null;
  }

  async changeContactWaId(tenantId: string, oldWaId: string, newWaId: string, now: number): Promise<void> {
    const [taken] = await this.db.all<{ id: string }>(`SELECT id FROM contacts WHERE tenant_id = ? AND wa_id = ?`, [tenantId, newWaId]);
    if (taken) return;
    await this.db.run(`UPDATE contacts SET wa_id = ?, phone_e164 = ?, updated_at = ? WHERE tenant_id = ? AND wa_id = ?`, [
      newWaId,
      toE164(newWaId),
      now,
      tenantId,
      oldWaId,
    ]);
  }

  async getOrCreateConversation(tenantId: string, phoneNumberId: string, contactId: string, now: number): Promise<Conversation> {
    await this.db.run(
      `INSERT INTO conversations (id, tenant_id, phone_number_id, contact_id, mode, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'bot', ?, ?) ON CONFLICT (tenant_id, phone_number_id, contact_id) DO NOTHING`,
      [randomUUID(), tenantId, phoneNumberId, contactId, now, now],
    );
    const [row] = await this.db.all<ConversationRow>(
      `SELECT * FROM conversations WHERE tenant_id = ? AND phone_number_id = ? AND contact_id = ?`,
      [tenantId, phoneNumberId, contactId],
    );
    return toConversation(row!);
  }

  async getConversation(tenantId: string, conversationId: string): Promise<Conversation | null> {
    const [row] = await this.db.all<ConversationRow>(`SELECT * FROM conversations WHERE tenant_id = ? AND id = ?`, [tenantId, conversationId]);
    return row ? toConversation(row) : null;
  }

  async listConversations(tenantId: string, limit: number): Promise<Conversation[]> {
    const rows = await this.db.all<ConversationRow>(`SELECT * FROM conversations WHERE tenant_id = ? ORDER BY updated_at DESC LIMIT ?`, [
      tenantId,
      limit,
    ]);
    return rows.map(toConversation);
  }

  async setConversationMode(tenantId: string, conversationId: string, mode: ConversationMode, now: number): Promise<void> {
    await this.db.run(`UPDATE conversations SET mode = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, [mode, now, tenantId, conversationId]);
  }

  async markAnsweredThrough(tenantId: string, conversationId: string, seq: number, now: number): Promise<void> {
    await this.db.run(
      `UPDATE conversations SET answered_through_seq = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND answered_through_seq < ?`,
      [seq, now, tenantId, conversationId, seq],
    );
  }

  async insertInboundMessage(message: NewInboundMessage): Promise<Message | null> {
    const [row] = await this.db.all<MessageRow>(
      `INSERT INTO messages (tenant_id, conversation_id, direction, sender, wamid, type, text, payload, status, status_rank, wa_timestamp, created_at, updated_at)
       VALUES (?, ?, 'inbound', 'customer', ?, ?, ?, ?, 'received', -1, ?, ?, ?)
       ON CONFLICT (tenant_id, wamid) DO NOTHING RETURNING *`,
      [
        message.tenantId,
        message.conversationId,
        message.wamid,
        message.type,
        message.text,
        JSON.stringify(message.payload),
        message.waTimestamp,
        message.receivedAt,
        message.receivedAt,
      ],
    );
    if (!row) return null;
    const inboundAt = message.waTimestamp === null ? message.receivedAt : Math.min(message.waTimestamp, message.receivedAt);
    await this.db.run(
      `UPDATE conversations SET last_inbound_at = ?, last_inbound_wamid = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ? AND (last_inbound_at IS NULL OR last_inbound_at <= ?)`,
      [inboundAt, message.wamid, message.receivedAt, message.tenantId, message.conversationId, inboundAt],
    );
    return toMessage(row);
  }

  async insertOutboundMessage(message: NewOutboundMessage): Promise<Message> {
    const [row] = await this.db.all<MessageRow>(
      `INSERT INTO messages (tenant_id, conversation_id, direction, sender, type, text, payload, status, status_rank, created_at, updated_at)
       VALUES (?, ?, 'outbound', ?, ?, ?, ?, 'queued', ?, ?, ?) RETURNING *`,
      [
        message.tenantId,
        message.conversationId,
        message.sender,
        message.type,
        message.text,
        JSON.stringify(message.payload),
        deliveryRank("queued"),
        message.createdAt,
        message.createdAt,
      ],
    );
    await this.db.run(`UPDATE conversations SET updated_at = ? WHERE tenant_id = ? AND id = ?`, [message.createdAt, message.tenantId, message.conversationId]);
    return toMessage(row!);
  }

  async getMessage(tenantId: string, seq: number): Promise<Message | null> {
    const [row] = await this.db.all<MessageRow>(`SELECT * FROM messages WHERE tenant_id = ? AND seq = ?`, [tenantId, seq]);
    return row ? toMessage(row) : null;
  }

  async listMessages(tenantId: string, conversationId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<Message[]> {
    const rows = await this.db.all<MessageRow>(
      `SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [tenantId, conversationId, options.afterSeq ?? 0, options.limit ?? 500],
    );
    return rows.map(toMessage);
  }

  async markOutboundAccepted(tenantId: string, seq: number, wamid: string, now: number): Promise<void> {
    await this.db.run(
      `UPDATE messages SET wamid = ?, status = CASE WHEN status_rank < ? THEN 'accepted' ELSE status END,
         status_rank = CASE WHEN status_rank < ? THEN ? ELSE status_rank END, updated_at = ?
       WHERE tenant_id = ? AND seq = ? AND direction = 'outbound'`,
      [wamid, deliveryRank("accepted"), deliveryRank("accepted"), deliveryRank("accepted"), now, tenantId, seq],
    );
    // Status webhooks can overtake the send response; replay the ones already recorded.
    const early = await this.db.all<{ status: string; errors: string | null; at: number }>(
      `SELECT status, errors, at FROM status_events WHERE tenant_id = ? AND wamid = ?`,
      [tenantId, wamid],
    );
    for (const event of early) {
      const status = parseDeliveryStatus(event.status);
      if (status) await this.moveStatus(tenantId, wamid, null, status, event.errors, Number(event.at));
    }
  }

  async markOutboundFailed(tenantId: string, seq: number, errors: unknown[], now: number): Promise<void> {
    await this.db.run(
      `UPDATE messages SET status = 'failed', status_rank = ?, errors = ?, updated_at = ? WHERE tenant_id = ? AND seq = ? AND status <> 'failed'`,
      [deliveryRank("failed"), JSON.stringify(errors), now, tenantId, seq],
    );
  }

  async applyStatus(update: StatusUpdate): Promise<boolean> {
    const errors = update.errors === null ? null : JSON.stringify(update.errors);
    await this.db.run(`INSERT INTO status_events (tenant_id, wamid, status, errors, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [
      update.tenantId,
      update.wamid,
      update.status,
      errors,
      update.at,
    ]);
    return this.moveStatus(update.tenantId, update.wamid, update.seq, update.status, errors, update.at);
  }

  private async moveStatus(tenantId: string, wamid: string, seq: number | null, status: DeliveryStatus, errors: string | null, at: number): Promise<boolean> {
    const rank = deliveryRank(status);
    const result = await this.db.run(
      `UPDATE messages SET status = ?, status_rank = ?, errors = COALESCE(?, errors), wamid = COALESCE(wamid, ?), updated_at = ?
       WHERE tenant_id = ? AND direction = 'outbound' AND status <> 'failed' AND status_rank < ?
         AND (wamid = ? OR (wamid IS NULL AND seq = ?))`,
      [status, rank, errors, wamid, at, tenantId, rank, wamid, seq ?? -1],
    );
    return result.changes > 0;
  }

  async saveMedia(media: MediaObject): Promise<void> {
    await this.db.run(
      `INSERT INTO media (tenant_id, media_id, message_seq, mime_type, sha256, bytes, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, media_id) DO NOTHING`,
      [media.tenantId, media.mediaId, media.messageSeq, media.mimeType, media.sha256, media.bytes, media.storedAt],
    );
  }

  async getMedia(tenantId: string, mediaId: string): Promise<MediaObject | null> {
    const [row] = await this.db.all<{
      tenant_id: string;
      media_id: string;
      message_seq: number;
      mime_type: string;
      sha256: string | null;
      bytes: Uint8Array;
      stored_at: number;
    }>(`SELECT * FROM media WHERE tenant_id = ? AND media_id = ?`, [tenantId, mediaId]);
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      mediaId: row.media_id,
      messageSeq: Number(row.message_seq),
      mimeType: row.mime_type,
      sha256: row.sha256,
      bytes: new Uint8Array(row.bytes),
      storedAt: Number(row.stored_at),
    };
  }

  async recordChannelEvent(event: ChannelEventRecord): Promise<void> {
    await this.db.run(`INSERT INTO channel_events (tenant_id, phone_number_id, kind, code, title, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      event.tenantId,
      event.phoneNumberId,
      event.kind,
      event.code,
      event.title,
      JSON.stringify(event.detail ?? null),
      event.at,
    ]);
  }

  async listChannelEvents(tenantId: string | null, limit: number): Promise<ChannelEventRecord[]> {
    const rows = await this.db.all<{ tenant_id: string | null; phone_number_id: string | null; kind: string; code: number | null; title: string | null; detail: string; at: number }>(
      tenantId === null ? `SELECT * FROM channel_events ORDER BY id LIMIT ?` : `SELECT * FROM channel_events WHERE tenant_id = ? ORDER BY id LIMIT ?`,
      tenantId === null ? [limit] : [tenantId, limit],
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      phoneNumberId: row.phone_number_id,
      kind: row.kind as ChannelEventRecord["kind"],
      code: row.code === null ? null : Number(row.code),
      title: row.title,
      detail: JSON.parse(row.detail) as unknown,
      at: Number(row.at),
    }));
  }

  async raiseAlert(alert: Omit<Alert, "id">): Promise<void> {
    await this.db.run(`INSERT INTO alerts (tenant_id, kind, message, at) VALUES (?, ?, ?, ?)`, [alert.tenantId, alert.kind, alert.message, alert.at]);
  }

  async listAlerts(tenantId: string | null, limit: number): Promise<Alert[]> {
    const rows = await this.db.all<{ id: number; tenant_id: string | null; kind: string; message: string; at: number }>(
      tenantId === null
        ? `SELECT * FROM alerts ORDER BY id DESC LIMIT ?`
        : `SELECT * FROM alerts WHERE tenant_id = ? ORDER BY id DESC LIMIT ?`,
      tenantId === null ? [limit] : [tenantId, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), tenantId: row.tenant_id, kind: row.kind, message: row.message, at: Number(row.at) }));
  }
}

export class SqlStore extends SqlStoreTx implements Store {
  readonly dialect: "sqlite" | "postgres";
  private readonly batcher: WebhookEventBatcher;

  constructor(
    private readonly driver: SqlDriver,
    secrets: SecretBox,
  ) {
    // Outside transactions, PostgreSQL job completions are batched (see SqlJobQueue).
    super(driver, secrets, new SqlJobQueue(driver, { batchCompletions: driver.dialect === "postgres" }));
    this.dialect = driver.dialect;
    this.batcher = new WebhookEventBatcher(driver);
  }

  async migrate(now: number): Promise<number[]> {
    return migrate(this.driver, now);
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.driver.transaction((exec) => work(new SqlStoreTx(exec, this.secrets)));
  }

  recordWebhookEvent(event: WebhookEventInput): Promise<{ duplicate: boolean }> {
    return this.batcher.add(event);
  }

  async getWebhookEvent(id: number): Promise<{ id: number; body: string; receivedAt: number } | null> {
    const [row] = await this.driver.all<{ id: number; body: string; received_at: number }>(`SELECT * FROM webhook_events WHERE id = ?`, [id]);
    return row ? { id: Number(row.id), body: row.body, receivedAt: Number(row.received_at) } : null;
  }

  async ping(): Promise<void> {
    await this.driver.all(`SELECT 1 AS ok`);
  }

  pendingMigrations(): Promise<number> {
    return pendingMigrationCount(this.driver);
  }

  async close(): Promise<void> {
    await this.batcher.drain();
    await this.driver.close();
  }
}
