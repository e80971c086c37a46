/**
 * The store port over a SQL engine. One implementation for both engines: the statements are
 * portable SQL (both engines speak ON CONFLICT … RETURNING); the few differences live in the drivers,
 * the job queue and the webhook batcher.
 */
import { randomUUID } from "node:crypto";
import { ZAgentSettings, type AgentSettings, type KnowledgeEntry, type Language } from "@salesbot/shared";
import type { ConversationMode } from "../../domain/conversation-mode.js";
import { deliveryRank, parseDeliveryStatus, type DeliveryStatus } from "../../domain/delivery-status.js";
import { AppError } from "../../domain/errors.js";
import { toE164 } from "../../domain/phone.js";
import type {
  Alert,
  ChannelEventRecord,
  Contact,
  ContactIdentity,
  Conversation,
  ConversationStats,
  CrmRecordRef,
  ConversationAgentState,
  MediaObject,
  Message,
  ConversationWithContact,
  MessageForSending,
  NewInboundMessage,
  StoredWebhookEvent,
  NewOutboundMessage,
  StatusUpdate,
  Store,
  StoreTx,
  Tenant,
  WebhookEventInput,
  WhatsAppNumber,
} from "../../domain/ports/store.js";
import type { ClaimAtInsert, ClaimedJob, JobWakeups } from "../../domain/ports/jobs.js";
import type { SecretBox } from "../../security/secret-box.js";
import { ConfigCache, configKeys } from "./config-cache.js";
import { migrate, pendingMigrationCount } from "./migrations.js";
import {
  contactColumns,
  conversationColumns,
  messageColumns,
  selectPrefixed,
  toContact,
  toConversation,
  toMessage,
  toStoredWebhookEvent,
  unprefixed,
  type ContactRow,
  type ConversationRow,
  type MessageRow,
  type WebhookEventRow,
} from "./sql-rows.js";
import { isAnyOf, type SqlDriver, type SqlExecutor, type SqlValue } from "./sql-driver.js";
import { SqlHandoffRepository } from "./sql-handoffs.js";
import { SqlRepToolsRepository } from "./sql-rep-tools.js";
import { SqlJobQueue } from "./sql-jobs.js";
import { SqlWebhookRepository } from "./sql-webhooks.js";
import { WebhookEventBatcher } from "./webhook-event-batcher.js";

/**
 * How a store object uses the configuration cache. Inside a transaction (`changedInTransaction` set)
 * reads still use cached entries but add none, and the keys it writes are dropped again after commit.
 */
interface ConfigAccess {
  cache: ConfigCache;
  changedInTransaction: Set<string> | null;
}

/**
 * The conversation, its contact and (PostgreSQL, `recentMessages` > 0) its latest messages as one JSON
 * array: one statement, one round trip.
 */
function conversationWithContactQuery(tenantId: string, conversationId: string, recentMessages: number): { sql: string; params: SqlValue[] } {
  const recentColumn =
    recentMessages > 0
      ? `, (SELECT COALESCE(json_agg(r ORDER BY r.seq), '[]'::json)
           FROM (SELECT ${messageColumns.join(", ")} FROM messages
                 WHERE tenant_id = c.tenant_id AND conversation_id = c.id ORDER BY seq DESC LIMIT ?) r) AS recent`
      : "";
  return {
    sql: `SELECT ${selectPrefixed("c", conversationColumns)}, ${selectPrefixed("p", contactColumns)}${recentColumn}
          FROM conversations c LEFT JOIN contacts p ON p.tenant_id = c.tenant_id AND p.id = c.contact_id
          WHERE c.tenant_id = ? AND c.id = ?`,
    params: [...(recentMessages > 0 ? [recentMessages] : []), tenantId, conversationId],
  };
}

function toConversationWithContact(row: Record<string, unknown> | undefined): ConversationWithContact | null {
  const conversation = row && unprefixed<ConversationRow>(row, "c", conversationColumns, "id");
  if (!row || !conversation) return null;
  const contact = unprefixed<ContactRow>(row, "p", contactColumns, "id");
  const recent = Array.isArray(row.recent) ? (row.recent as MessageRow[]).map(toMessage) : [];
  return { conversation: toConversation(conversation), contact: contact && toContact(contact), recent };
}

class SqlStoreTx implements StoreTx {
  readonly jobs: SqlJobQueue;
  readonly handoffs: SqlHandoffRepository;
  readonly repTools: SqlRepToolsRepository;
  readonly webhooks: SqlWebhookRepository;

  constructor(
    protected readonly db: SqlExecutor,
    protected readonly secrets: SecretBox,
    private readonly config: ConfigAccess,
    jobs: SqlJobQueue,
  ) {
    this.jobs = jobs;
    this.handoffs = new SqlHandoffRepository(db);
    this.repTools = new SqlRepToolsRepository(db);
    this.webhooks = new SqlWebhookRepository(db, secrets);
  }

  afterCommit(effect: () => void): void {
    this.db.afterCommit(effect);
  }

  private cachedConfig<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.config.cache.read(key, load, { keep: this.config.changedInTransaction === null });
  }

  private configChanged(key: string): void {
    this.config.cache.invalidate(key);
    this.config.changedInTransaction?.add(key);
  }

  async upsertTenant(tenant: { id: string; name: string }, now: number): Promise<void> {
    await this.db.run(`INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name`, [
      tenant.id,
      tenant.name,
      now,
    ]);
  }

  async getTenant(tenantId: string): Promise<Tenant | null> {
    const [row] = await this.db.all<{ id: string; name: string; created_at: number }>(`SELECT * FROM tenants WHERE id = ?`, [tenantId]);
    return row ? { id: row.id, name: row.name, createdAt: Number(row.created_at) } : null;
  }

  async upsertWhatsAppNumber(number: Omit<WhatsAppNumber, "sendingPausedReason" | "businessAccountId"> & { businessAccountId?: string | null }): Promise<void> {
    const sealed = number.accessToken === null ? null : this.secrets.seal(number.accessToken);
    await this.db.run(
      `INSERT INTO whatsapp_numbers (phone_number_id, tenant_id, display_phone_number, access_token_enc, business_account_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (phone_number_id) DO UPDATE SET tenant_id = excluded.tenant_id,
         display_phone_number = excluded.display_phone_number, access_token_enc = excluded.access_token_enc,
         business_account_id = COALESCE(excluded.business_account_id, whatsapp_numbers.business_account_id)`,
      [number.phoneNumberId, number.tenantId, number.displayPhoneNumber, sealed, number.businessAccountId ?? null],
    );
    this.configChanged(configKeys.whatsappNumber(number.phoneNumberId));
  }

  findWhatsAppNumber(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    return this.cachedConfig(configKeys.whatsappNumber(phoneNumberId), () => this.loadWhatsAppNumber(phoneNumberId));
  }

  private async loadWhatsAppNumber(phoneNumberId: string): Promise<WhatsAppNumber | null> {
    const [row] = await this.db.all<{
      phone_number_id: string;
      tenant_id: string;
      display_phone_number: string | null;
      access_token_enc: string | null;
      sending_paused_reason: string | null;
      business_account_id: string | null;
    }>(`SELECT * FROM whatsapp_numbers WHERE phone_number_id = ?`, [phoneNumberId]);
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      phoneNumberId: row.phone_number_id,
      displayPhoneNumber: row.display_phone_number,
      accessToken: row.access_token_enc === null ? null : this.secrets.open(row.access_token_enc),
      sendingPausedReason: row.sending_paused_reason,
      businessAccountId: row.business_account_id ?? null,
    };
  }

  async setSendingPaused(tenantId: string, phoneNumberId: string, reason: string | null): Promise<void> {
    await this.db.run(`UPDATE whatsapp_numbers SET sending_paused_reason = ? WHERE tenant_id = ? AND phone_number_id = ?`, [
      reason,
      tenantId,
      phoneNumberId,
    ]);
    this.configChanged(configKeys.whatsappNumber(phoneNumberId));
  }

  private async findContactRows(tenantId: string, identity: ContactIdentity): Promise<ContactRow[]> {
    return this.db.all<ContactRow>(
      `SELECT * FROM contacts WHERE tenant_id = ? AND (user_id = ? OR wa_id = ?) ORDER BY created_at, id`,
      [tenantId, identity.userId, identity.waId],
    );
  }

  /** The contacts the identity matches, oldest first; or, where none does, the one just created for it. */
  private async findOrCreateContactRows(tenantId: string, identity: ContactIdentity, phone: string | null, now: number): Promise<{ matches: ContactRow[]; created: ContactRow | null }> {
    const insertValues = [randomUUID(), tenantId, identity.waId, identity.userId, identity.parentUserId, identity.profileName, identity.username, phone, now, now];
    const columns = `id, tenant_id, wa_id, user_id, parent_user_id, profile_name, username, phone_e164, created_at, updated_at`;
    if (this.db.dialect === "postgres") {
      // One round trip either way: the insert runs only when the read found nothing.
      const rows = await this.db.all<ContactRow & { just_created: boolean }>(
        `WITH found AS (SELECT * FROM contacts WHERE tenant_id = ? AND (user_id = ? OR wa_id = ?)),
         created AS (
           INSERT INTO contacts (${columns}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM found)
           ON CONFLICT DO NOTHING RETURNING *)
         SELECT *, false AS just_created FROM found UNION ALL SELECT *, true AS just_created FROM created ORDER BY created_at, id`,
        [tenantId, identity.userId, identity.waId, ...insertValues],
      );
      const created = rows.find((row) => row.just_created) ?? null;
      return { matches: created ? [] : rows, created };
    }
    const matches = await this.findContactRows(tenantId, identity);
    if (matches.length > 0) return { matches, created: null };
    const [created] = await this.db.all<ContactRow>(`INSERT INTO contacts (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`, insertValues);
    return { matches: [], created: created ?? null };
  }

  async upsertContact(tenantId: string, identity: ContactIdentity, now: number): Promise<Contact> {
    if (!identity.waId && !identity.userId) throw new Error("a contact needs a wa_id or a user_id");
    const phone = identity.waId ? toE164(identity.waId) : null;
    const found = await this.findOrCreateContactRows(tenantId, identity, phone, now);
    if (found.created) return toContact(found.created);
    // Neither found nor created: a concurrent writer created the contact after our read.
    const matches = found.matches.length > 0 ? found.matches : await this.findContactRows(tenantId, identity);
    const [existing] = matches;
    if (!existing) throw new Error("contact vanished after insert");
    // The wa_id and the user_id can lead to two contacts we met separately. The oldest one answers;
    // an id the other contact holds is not copied over, since ids are unique per tenant.
    const ownId = existing.id;
    const heldByOther = (column: "wa_id" | "user_id", value: string | null) => value !== null && matches.some((row) => row.id !== ownId && row[column] === value);
    const waId = heldByOther("wa_id", identity.waId) ? null : identity.waId;
    const userId = heldByOther("user_id", identity.userId) ? null : identity.userId;
    // Fill in what the newer payload knows; never erase what an older one told us. Most messages come
    // from customers we know, with nothing new to tell: then there is nothing to write.
    const adds = <T>(incoming: T | null, stored: T | null, fillsOnly: boolean) => incoming !== null && incoming !== stored && (!fillsOnly || stored === null);
    const changes =
      adds(waId, existing.wa_id, true) ||
      adds(userId, existing.user_id, true) ||
      adds(waId === null ? null : phone, existing.phone_e164, true) ||
      adds(identity.parentUserId, existing.parent_user_id, false) ||
      adds(identity.profileName, existing.profile_name, false) ||
      adds(identity.username, existing.username, false);
    if (!changes) return toContact(existing);
    const [row] = await this.db.all<ContactRow>(
      `UPDATE contacts SET wa_id = COALESCE(wa_id, ?), user_id = COALESCE(user_id, ?), parent_user_id = COALESCE(?, parent_user_id),
         profile_name = COALESCE(?, profile_name), username = COALESCE(?, username), phone_e164 = COALESCE(phone_e164, ?), updated_at = ?
       WHERE id = ? AND tenant_id = ? RETURNING *`,
      [waId, userId, identity.parentUserId, identity.profileName, identity.username, waId === null ? null : phone, now, existing.id, tenantId],
    );
    if (!row) throw new Error("contact vanished during update");
    return toContact(row);
  }

  async getContact(tenantId: string, contactId: string): Promise<Contact | null> {
    const [row] = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE tenant_id = ? AND id = ?`, [tenantId, contactId]);
    return row ? toContact(row) : null;
  }

  async getContacts(tenantId: string, contactIds: readonly string[]): Promise<Contact[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.all<ContactRow>(`SELECT * FROM contacts WHERE tenant_id = ? AND ${isAnyOf(this.db, "id")}`, [tenantId, contactIds]);
    return rows.map(toContact);
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
    const find = async () =>
      (await this.db.all<ConversationRow>(`SELECT * FROM conversations WHERE tenant_id = ? AND phone_number_id = ? AND contact_id = ?`, [tenantId, phoneNumberId, contactId]))[0];
    if (this.db.dialect === "postgres") {
      // One round trip either way: the insert runs only when the read found nothing.
      const [row] = await this.db.all<ConversationRow>(
        `WITH found AS (SELECT * FROM conversations WHERE tenant_id = ? AND phone_number_id = ? AND contact_id = ?),
         created AS (
           INSERT INTO conversations (id, tenant_id, phone_number_id, contact_id, mode, created_at, updated_at)
           SELECT ?, ?, ?, ?, 'bot', ?, ? WHERE NOT EXISTS (SELECT 1 FROM found)
           ON CONFLICT (tenant_id, phone_number_id, contact_id) DO NOTHING RETURNING *)
         SELECT * FROM found UNION ALL SELECT * FROM created`,
        [tenantId, phoneNumberId, contactId, randomUUID(), tenantId, phoneNumberId, contactId, now, now],
      );
      // Empty only when a concurrent transaction created it after this statement's snapshot.
      const found = row ?? (await find());
      if (!found) throw new Error("conversation vanished after insert");
      return toConversation(found);
    }
    // Most messages come from customers we already talk to: one read, and a write only for a new one.
    const existing = await find();
    if (existing) return toConversation(existing);
    const [created] = await this.db.all<ConversationRow>(
      `INSERT INTO conversations (id, tenant_id, phone_number_id, contact_id, mode, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'bot', ?, ?) ON CONFLICT (tenant_id, phone_number_id, contact_id) DO NOTHING RETURNING *`,
      [randomUUID(), tenantId, phoneNumberId, contactId, now, now],
    );
    const row = created ?? (await find());
    if (!row) throw new Error("conversation vanished after insert");
    return toConversation(row);
  }

  async getConversation(tenantId: string, conversationId: string): Promise<Conversation | null> {
    const [row] = await this.db.all<ConversationRow>(`SELECT * FROM conversations WHERE tenant_id = ? AND id = ?`, [tenantId, conversationId]);
    return row ? toConversation(row) : null;
  }

  async getConversationWithContact(tenantId: string, conversationId: string, options: { recentMessages?: number } = {}): Promise<ConversationWithContact | null> {
    const limit = options.recentMessages ?? 0;
    if (limit > 0 && this.db.dialect === "sqlite") {
      const [found, recent] = await Promise.all([this.getConversationWithContact(tenantId, conversationId), this.listRecentMessages(tenantId, conversationId, limit)]);
      return found && { ...found, recent };
    }
    const { sql, params } = conversationWithContactQuery(tenantId, conversationId, limit);
    const [row] = await this.db.all<Record<string, unknown>>(sql, params);
    return toConversationWithContact(row);
  }

  async readConversationAtCommit(
    tenantId: string,
    conversationId: string,
    options: { recentMessages?: number },
    onRead: (found: ConversationWithContact | null) => void,
  ): Promise<void> {
    if (this.db.dialect === "sqlite") {
      // One writer: nothing changes between now and the commit but what this transaction still writes.
      const found = await this.getConversationWithContact(tenantId, conversationId, options);
      this.db.afterCommit(() => onRead(found));
      return;
    }
    const { sql, params } = conversationWithContactQuery(tenantId, conversationId, options.recentMessages ?? 0);
    await this.db.atCommit<Record<string, unknown>>(sql, params, ([row]) => {
      const found = toConversationWithContact(row);
      this.db.afterCommit(() => onRead(found));
    });
  }

  async listConversations(tenantId: string, limit: number): Promise<Conversation[]> {
    const rows = await this.db.all<ConversationRow>(`SELECT * FROM conversations WHERE tenant_id = ? ORDER BY updated_at DESC LIMIT ?`, [
      tenantId,
      limit,
    ]);
    return rows.map(toConversation);
  }

  async findConversationsByPhone(tenantId: string, phoneE164: string): Promise<Conversation[]> {
    const rows = await this.db.all<ConversationRow>(
      `SELECT c.* FROM conversations c JOIN contacts k ON k.id = c.contact_id AND k.tenant_id = c.tenant_id
       WHERE c.tenant_id = ? AND k.phone_e164 = ? ORDER BY c.updated_at DESC`,
      [tenantId, phoneE164],
    );
    return rows.map(toConversation);
  }

  async linkCrmRecord(tenantId: string, conversationId: string, record: CrmRecordRef, now: number): Promise<void> {
    await this.assertConversationOf(tenantId, conversationId);
    await this.db.run(
      `INSERT INTO crm_links (tenant_id, crm, object_type, object_id, conversation_id, linked_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [tenantId, record.crm, record.objectType, record.objectId, conversationId, now],
    );
  }

  async findConversationsByCrmRecord(tenantId: string, record: CrmRecordRef): Promise<Conversation[]> {
    const rows = await this.db.all<ConversationRow>(
      `SELECT c.* FROM conversations c JOIN crm_links l ON l.conversation_id = c.id AND l.tenant_id = c.tenant_id
       WHERE c.tenant_id = ? AND l.crm = ? AND l.object_type = ? AND l.object_id = ? ORDER BY c.updated_at DESC`,
      [tenantId, record.crm, record.objectType, record.objectId],
    );
    return rows.map(toConversation);
  }

  async listCrmLinks(tenantId: string, conversationId: string): Promise<CrmRecordRef[]> {
    const rows = await this.db.all<{ crm: string; object_type: string; object_id: string }>(
      `SELECT crm, object_type, object_id FROM crm_links WHERE tenant_id = ? AND conversation_id = ? ORDER BY linked_at`,
      [tenantId, conversationId],
    );
    return rows.map((r) => ({ crm: r.crm as CrmRecordRef["crm"], objectType: r.object_type as CrmRecordRef["objectType"], objectId: r.object_id }));
  }

  async conversationStats(tenantId: string, range: { from: number; to: number }): Promise<ConversationStats> {
    const [counts] = await this.db.all<{ conversations: number; handed_off: number }>(
      `SELECT COUNT(*) AS conversations,
         SUM(CASE WHEN EXISTS (SELECT 1 FROM handoffs h WHERE h.tenant_id = c.tenant_id AND h.conversation_id = c.id) THEN 1 ELSE 0 END) AS handed_off
       FROM conversations c WHERE c.tenant_id = ? AND c.created_at >= ? AND c.created_at < ?`,
      [tenantId, range.from, range.to],
    );
    const handoffs = await this.db.all<{ requested_at: number; first_response_at: number | null; sla: string }>(
      `SELECT requested_at, first_response_at, sla FROM handoffs WHERE tenant_id = ? AND requested_at >= ? AND requested_at < ?`,
      [tenantId, range.from, range.to],
    );
    const times = handoffs.filter((h) => h.first_response_at !== null).map((h) => Number(h.first_response_at) - Number(h.requested_at)).sort((a, b) => a - b);
    const conversations = Number(counts?.conversations ?? 0);
    const handedOff = Number(counts?.handed_off ?? 0);
    return {
      conversations,
      handedOff,
      botResolved: conversations - handedOff,
      firstResponseMedianMs: times.length === 0 ? null : times[Math.floor((times.length - 1) / 2)]!,
      slaMissed: handoffs.filter((h) => (JSON.parse(h.sla) as { status: string }).status === "missed").length,
    };
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

  async saveAgentState(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq = 0): Promise<void> {
    const { set, values } = this.agentStateChange(state, now, answeredThroughSeq);
    await this.db.run(`UPDATE conversations SET ${set} WHERE tenant_id = ? AND id = ?`, [...values, tenantId, conversationId]);
  }

  async saveAgentStateInMode(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq: number, modes: readonly ConversationMode[]): Promise<Conversation | null> {
    const { set, values } = this.agentStateChange(state, now, answeredThroughSeq);
    const [row] = await this.db.all<ConversationRow>(
      `UPDATE conversations SET ${set} WHERE tenant_id = ? AND id = ? AND ${isAnyOf(this.db, "mode")} RETURNING *`,
      [...values, tenantId, conversationId, modes],
    );
    return row ? toConversation(row) : null;
  }

  private agentStateChange(state: ConversationAgentState, now: number, answeredThroughSeq: number): { set: string; values: SqlValue[] } {
    const greatest = this.db.dialect === "sqlite" ? "MAX" : "GREATEST";
    return {
      set: `language = ?, qualification = ?, lead_score = ?, asked_field = ?, asked_fields = ?, last_intent = ?, handoff = ?,
         answered_through_seq = ${greatest}(answered_through_seq, ?), updated_at = ?`,
      values: [
        state.language,
        JSON.stringify(state.qualification),
        state.leadScore,
        state.askedField,
        JSON.stringify(state.askedFields),
        state.lastIntent,
        state.handoff === null ? null : JSON.stringify(state.handoff),
        answeredThroughSeq,
        now,
      ],
    };
  }

  async setContactOptOut(tenantId: string, contactId: string, optedOut: boolean, now: number): Promise<void> {
    await this.db.run(`UPDATE contacts SET opted_out = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, [optedOut ? 1 : 0, now, tenantId, contactId]);
  }

  async setContactCrmFacts(tenantId: string, contactId: string, facts: { vip: boolean; dealValue: number | null; crmOwnerId?: string | null }, now: number): Promise<void> {
    await this.db.run(`UPDATE contacts SET vip = ?, deal_value = ?, crm_owner_id = COALESCE(?, crm_owner_id), updated_at = ? WHERE tenant_id = ? AND id = ?`, [
      facts.vip ? 1 : 0,
      facts.dealValue,
      facts.crmOwnerId ?? null,
      now,
      tenantId,
      contactId,
    ]);
  }

  getAgentSettings(tenantId: string): Promise<AgentSettings> {
    return this.cachedConfig(configKeys.agentSettings(tenantId), async () => {
      const [row] = await this.db.all<{ settings: string }>(`SELECT settings FROM agent_settings WHERE tenant_id = ?`, [tenantId]);
      return ZAgentSettings.parse(row ? JSON.parse(row.settings) : {});
    });
  }

  async putAgentSettings(tenantId: string, settings: AgentSettings, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO agent_settings (tenant_id, settings, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [tenantId, JSON.stringify(ZAgentSettings.parse(settings)), now],
    );
    this.configChanged(configKeys.agentSettings(tenantId));
  }

  async listKnowledge(tenantId: string): Promise<KnowledgeEntry[]> {
    const rows = await this.db.all<{ id: string; kind: string; title: string; body: string; language: string }>(
      `SELECT id, kind, title, body, language FROM knowledge_entries WHERE tenant_id = ? ORDER BY id`,
      [tenantId],
    );
    return rows.map((row) => ({ id: row.id, kind: row.kind as KnowledgeEntry["kind"], title: row.title, body: row.body, language: row.language as Language }));
  }

  async replaceKnowledge(tenantId: string, entries: KnowledgeEntry[], now: number): Promise<void> {
    await this.db.run(`DELETE FROM knowledge_entries WHERE tenant_id = ?`, [tenantId]);
    for (const entry of entries) {
      await this.db.run(`INSERT INTO knowledge_entries (tenant_id, id, kind, title, body, language, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
        tenantId,
        entry.id,
        entry.kind,
        entry.title,
        entry.body,
        entry.language,
        now,
      ]);
    }
    this.configChanged(configKeys.knowledgeVersion(tenantId));
  }

  knowledgeVersion(tenantId: string): Promise<string> {
    return this.cachedConfig(configKeys.knowledgeVersion(tenantId), async () => {
      const [row] = await this.db.all<{ n: number; latest: number | null }>(`SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM knowledge_entries WHERE tenant_id = ?`, [tenantId]);
      return `${Number(row?.n ?? 0)}:${Number(row?.latest ?? 0)}`;
    });
  }

  /** Writes must not depend on callers pairing tenant and conversation correctly. */
  private async assertConversationOf(tenantId: string, conversationId: string): Promise<void> {
    const [row] = await this.db.all<{ id: string }>(`SELECT id FROM conversations WHERE tenant_id = ? AND id = ?`, [tenantId, conversationId]);
    if (!row) throw new AppError("not_found", "No such conversation for this tenant.");
  }

  async insertInboundMessage(message: NewInboundMessage): Promise<Message | null> {
    const inboundAt = message.waTimestamp === null ? message.receivedAt : Math.min(message.waTimestamp, message.receivedAt);
    const insert = `INSERT INTO messages (tenant_id, conversation_id, direction, sender, wamid, type, text, payload, status, status_rank, wa_timestamp, created_at, updated_at)
       SELECT ?, ?, 'inbound', 'customer', ?, ?, ?, ?, 'received', -1, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM conversations WHERE tenant_id = ? AND id = ?)
       ON CONFLICT (tenant_id, wamid) DO NOTHING RETURNING *`;
    const insertValues = [
      message.tenantId,
      message.conversationId,
      message.wamid,
      message.type,
      message.text,
      JSON.stringify(message.payload),
      message.waTimestamp,
      message.receivedAt,
      message.receivedAt,
      message.tenantId,
      message.conversationId,
    ];
    // A message that arrives late (Meta redelivers in any order) does not move the time back.
    const touch = `UPDATE conversations SET last_inbound_at = ?, last_inbound_wamid = ?, updated_at = ?
       WHERE tenant_id = ? AND id = ? AND (last_inbound_at IS NULL OR last_inbound_at <= ?)`;
    const touchValues = [inboundAt, message.wamid, message.receivedAt, message.tenantId, message.conversationId, inboundAt];
    // PostgreSQL: one statement (one round trip); the touch applies only where a row went in.
    const [row] =
      this.db.dialect === "postgres"
        ? await this.db.all<MessageRow>(
            `WITH inserted AS (${insert}),
             touched AS (${touch} AND EXISTS (SELECT 1 FROM inserted))
             SELECT * FROM inserted`,
            [...insertValues, ...touchValues],
          )
        : await this.db.all<MessageRow>(insert, insertValues);
    if (!row) {
      // Nothing inserted: a redelivered message, unless the conversation is not this tenant's.
      await this.assertConversationOf(message.tenantId, message.conversationId);
      return null;
    }
    if (this.db.dialect !== "postgres") await this.db.run(touch, touchValues);
    return toMessage(row);
  }

  async insertOutboundMessage(message: NewOutboundMessage): Promise<Message> {
    const values = [
      message.sender,
      message.type,
      message.text,
      JSON.stringify(message.payload),
      deliveryRank("queued"),
      message.createdAt,
      message.createdAt,
    ];
    if (this.db.dialect === "postgres") {
      // One round trip: touching the conversation is also the check that it is this tenant's.
      const [row] = await this.db.all<MessageRow>(
        `WITH touched AS (UPDATE conversations SET updated_at = ? WHERE tenant_id = ? AND id = ? RETURNING tenant_id, id)
         INSERT INTO messages (tenant_id, conversation_id, direction, sender, type, text, payload, status, status_rank, created_at, updated_at)
         SELECT touched.tenant_id, touched.id, 'outbound', ?, ?, ?, ?, 'queued', ?, ?, ? FROM touched RETURNING *`,
        [message.createdAt, message.tenantId, message.conversationId, ...values],
      );
      if (!row) throw new AppError("not_found", "No such conversation for this tenant.");
      return toMessage(row);
    }
    // Touching the conversation first doubles as the check that it is this tenant's.
    const touched = await this.db.run(`UPDATE conversations SET updated_at = ? WHERE tenant_id = ? AND id = ?`, [message.createdAt, message.tenantId, message.conversationId]);
    if (touched.changes === 0) throw new AppError("not_found", "No such conversation for this tenant.");
    const [row] = await this.db.all<MessageRow>(
      `INSERT INTO messages (tenant_id, conversation_id, direction, sender, type, text, payload, status, status_rank, created_at, updated_at)
       VALUES (?, ?, 'outbound', ?, ?, ?, ?, 'queued', ?, ?, ?) RETURNING *`,
      [message.tenantId, message.conversationId, ...values],
    );
    return toMessage(row!);
  }

  async getMessage(tenantId: string, seq: number): Promise<Message | null> {
    const [row] = await this.db.all<MessageRow>(`SELECT * FROM messages WHERE tenant_id = ? AND seq = ?`, [tenantId, seq]);
    return row ? toMessage(row) : null;
  }

  async getMessageForSending(tenantId: string, seq: number): Promise<MessageForSending | null> {
    const [row] = await this.db.all<Record<string, unknown>>(
      `SELECT ${selectPrefixed("m", messageColumns)}, ${selectPrefixed("c", conversationColumns)}, ${selectPrefixed("p", contactColumns)}
       FROM messages m
       LEFT JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id
       LEFT JOIN contacts p ON p.tenant_id = c.tenant_id AND p.id = c.contact_id
       WHERE m.tenant_id = ? AND m.seq = ?`,
      [tenantId, seq],
    );
    const message = row && unprefixed<MessageRow>(row, "m", messageColumns, "seq");
    if (!row || !message) return null;
    const conversation = unprefixed<ConversationRow>(row, "c", conversationColumns, "id");
    const contact = unprefixed<ContactRow>(row, "p", contactColumns, "id");
    return { message: toMessage(message), conversation: conversation && toConversation(conversation), contact: contact && toContact(contact) };
  }

  async findMessageByWamid(tenantId: string, wamid: string): Promise<Message | null> {
    const [row] = await this.db.all<MessageRow>(`SELECT * FROM messages WHERE tenant_id = ? AND wamid = ?`, [tenantId, wamid]);
    return row ? toMessage(row) : null;
  }

  async listStatusEvents(tenantId: string, wamid: string): Promise<Array<{ status: string; errors: unknown[] | null; at: number }>> {
    const rows = await this.db.all<{ status: string; errors: string | null; at: number }>(
      `SELECT status, errors, at FROM status_events WHERE tenant_id = ? AND wamid = ? ORDER BY at, status`,
      [tenantId, wamid],
    );
    return rows.map((row) => ({ status: row.status, errors: row.errors === null ? null : (JSON.parse(row.errors) as unknown[]), at: Number(row.at) }));
  }

  async listMessages(tenantId: string, conversationId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<Message[]> {
    const rows = await this.db.all<MessageRow>(
      `SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [tenantId, conversationId, options.afterSeq ?? 0, options.limit ?? 500],
    );
    return rows.map(toMessage);
  }

  async listRecentMessages(tenantId: string, conversationId: string, limit: number): Promise<Message[]> {
    const rows = await this.db.all<MessageRow>(`SELECT * FROM messages WHERE tenant_id = ? AND conversation_id = ? ORDER BY seq DESC LIMIT ?`, [
      tenantId,
      conversationId,
      limit,
    ]);
    return rows.reverse().map(toMessage);
  }

  async markOutboundAccepted(tenantId: string, seq: number, wamid: string, now: number): Promise<void> {
    // Status webhooks can overtake the send response: the same statement asks whether any arrived.
    const [row] = await this.db.all<{ early: number | boolean }>(
      `UPDATE messages SET wamid = ?, status = CASE WHEN status_rank < ? THEN 'accepted' ELSE status END,
         status_rank = CASE WHEN status_rank < ? THEN ? ELSE status_rank END, updated_at = ?
       WHERE tenant_id = ? AND seq = ? AND direction = 'outbound'
       RETURNING EXISTS (SELECT 1 FROM status_events e WHERE e.tenant_id = ? AND e.wamid = ?) AS early`,
      [wamid, deliveryRank("accepted"), deliveryRank("accepted"), deliveryRank("accepted"), now, tenantId, seq, tenantId, wamid],
    );
    if (!row || Number(row.early) !== 1) return;
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
    const record = `INSERT INTO status_events (tenant_id, wamid, status, errors, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
    const recordValues: SqlValue[] = [update.tenantId, update.wamid, update.status, errors, update.at];
    // PostgreSQL: the record and the move in one statement (one round trip); the move does not read the record.
    if (this.db.dialect === "postgres") return this.moveStatus(update.tenantId, update.wamid, update.seq, update.status, errors, update.at, { sql: record, values: recordValues });
    await this.db.run(record, recordValues);
    return this.moveStatus(update.tenantId, update.wamid, update.seq, update.status, errors, update.at);
  }

  private async moveStatus(
    tenantId: string,
    wamid: string,
    seq: number | null,
    status: DeliveryStatus,
    errors: string | null,
    at: number,
    alongside?: { sql: string; values: SqlValue[] },
  ): Promise<boolean> {
    const rank = deliveryRank(status);
    const move = `UPDATE messages SET status = ?, status_rank = ?, errors = COALESCE(?, errors), wamid = COALESCE(wamid, ?), updated_at = ?
       WHERE tenant_id = ? AND direction = 'outbound' AND status <> 'failed' AND status_rank < ?
         AND (wamid = ? OR (wamid IS NULL AND seq = ?))`;
    const values: SqlValue[] = [status, rank, errors, wamid, at, tenantId, rank, wamid, seq ?? -1];
    const result = alongside
      ? await this.db.run(`WITH alongside AS (${alongside.sql}) ${move}`, [...alongside.values, ...values])
      : await this.db.run(move, values);
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
      tenantId === null ? `SELECT * FROM channel_events ORDER BY id DESC LIMIT ?` : `SELECT * FROM channel_events WHERE tenant_id = ? ORDER BY id DESC LIMIT ?`,
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

  async openWebhookEvent(eventId: number, at: number): Promise<{ event: StoredWebhookEvent; firstDelivery: boolean } | null> {
    if (this.db.dialect === "postgres") {
      // One round trip. The holder subquery sees the statement's snapshot: the row this event claimed
      // earlier (a retried job), or one another event committed before; not this statement's insert.
      const [row] = await this.db.all<WebhookEventRow & { claimed: boolean; holder: number | null }>(
        `WITH ev AS (SELECT id, body, body_sha256, received_at FROM webhook_events WHERE id = ?),
         claimed AS (
           INSERT INTO webhook_bodies (body_sha256, event_id, seen_at) SELECT body_sha256, id, ? FROM ev
           ON CONFLICT (body_sha256) DO NOTHING RETURNING event_id)
         SELECT ev.*, EXISTS (SELECT 1 FROM claimed) AS claimed,
           (SELECT b.event_id FROM webhook_bodies b WHERE b.body_sha256 = ev.body_sha256) AS holder
         FROM ev`,
        [eventId, at],
      );
      if (!row) return null;
      return { event: toStoredWebhookEvent(row), firstDelivery: row.claimed === true || Number(row.holder) === eventId };
    }
    const [row] = await this.db.all<WebhookEventRow>(`SELECT id, body, body_sha256, received_at FROM webhook_events WHERE id = ?`, [eventId]);
    if (!row) return null;
    const [claimed] = await this.db.all<{ event_id: number }>(
      `INSERT INTO webhook_bodies (body_sha256, event_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (body_sha256) DO NOTHING RETURNING event_id`,
      [row.body_sha256, eventId, at],
    );
    if (claimed) return { event: toStoredWebhookEvent(row), firstDelivery: true };
    const [holder] = await this.db.all<{ event_id: number }>(`SELECT event_id FROM webhook_bodies WHERE body_sha256 = ?`, [row.body_sha256]);
    return { event: toStoredWebhookEvent(row), firstDelivery: holder !== undefined && Number(holder.event_id) === eventId };
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

export interface SqlStoreOptions {
  /** How long tenant configuration is kept in memory (see ConfigCache); 0 reads it every time. */
  configCacheMs?: number;
}

export const DEFAULT_CONFIG_CACHE_MS = 1_000;

export class SqlStore extends SqlStoreTx implements Store {
  readonly dialect: "sqlite" | "postgres";
  /** Null on the embedded store, which one process owns: its runner is poked directly. */
  readonly jobWakeups: JobWakeups | null;
  private readonly batcher: WebhookEventBatcher;
  private readonly configCache: ConfigCache;

  constructor(
    private readonly driver: SqlDriver,
    secrets: SecretBox,
    options: SqlStoreOptions = {},
  ) {
    const configCache = new ConfigCache(options.configCacheMs ?? DEFAULT_CONFIG_CACHE_MS);
    // Outside transactions, PostgreSQL job completions are batched (see SqlJobQueue).
    super(driver, secrets, { cache: configCache, changedInTransaction: null }, new SqlJobQueue(driver, { batchCompletions: driver.dialect === "postgres", ...(driver.outsideGroups ? { outsideGroups: driver.outsideGroups } : {}) }));
    this.configCache = configCache;
    this.dialect = driver.dialect;
    this.jobWakeups = driver.jobWakeups ?? null;
    this.batcher = new WebhookEventBatcher(driver);
  }

  async migrate(now: number): Promise<number[]> {
    return migrate(this.driver, now);
  }

  async transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const changed = new Set<string>();
    try {
      return await this.driver.transaction(async (exec) => {
        const jobs = new SqlJobQueue(exec, { inTransaction: true });
        const result = await work(new SqlStoreTx(exec, this.secrets, { cache: this.configCache, changedInTransaction: changed }, jobs));
        // A follow-up queued with a hand-off is written by completeWithin; should the work not call it, here.
        await jobs.writeHeldFollowUp();
        return result;
      });
    } finally {
      // Another reader may have cached the committed value from before this transaction's write.
      for (const key of changed) this.configCache.invalidate(key);
    }
  }

  recordWebhookEvent(event: WebhookEventInput, claim?: ClaimAtInsert): Promise<ClaimedJob | null> {
    return this.batcher.add(event, claim);
  }

  async getWebhookEvent(id: number): Promise<StoredWebhookEvent | null> {
    const [row] = await this.driver.all<WebhookEventRow>(`SELECT id, body, body_sha256, received_at FROM webhook_events WHERE id = ?`, [id]);
    return row ? toStoredWebhookEvent(row) : null;
  }

  /** Job payloads of raw events are written compactly by both engines, so they can be matched as text. */
  async pruneWebhookEvents(before: number): Promise<number> {
    const { changes } = await this.driver.run(
      `DELETE FROM webhook_events WHERE received_at < ? AND NOT EXISTS (
         SELECT 1 FROM jobs j WHERE j.kind = 'webhook.process' AND j.payload = '{"eventId":' || CAST(webhook_events.id AS TEXT) || '}')`,
      [before],
    );
    // Redeliveries are told apart only as long as the bodies are kept.
    await this.driver.run(`DELETE FROM webhook_bodies WHERE seen_at < ?`, [before]);
    return changes;
  }

  async pruneWebhookDeliveries(before: number): Promise<number> {
    return this.driver.transaction(async (tx) => {
      const finished = `SELECT id FROM webhook_deliveries WHERE state IN ('delivered', 'failed') AND updated_at < ?`;
      await tx.run(`DELETE FROM webhook_delivery_attempts WHERE delivery_id IN (${finished})`, [before]);
      const { changes } = await tx.run(`DELETE FROM webhook_deliveries WHERE id IN (${finished})`, [before]);
      return changes;
    });
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
