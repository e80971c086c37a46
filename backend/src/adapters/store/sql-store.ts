/**
 * The store port over a SQL engine. One implementation for both engines: the statements are
 * portable SQL (both engines speak ON CONFLICT … RETURNING); the few differences live in the drivers,
 * the job queue and the webhook batcher. Tenants, numbers, settings, knowledge and channel events are
 * here; contacts, conversations, messages, hand-offs, rep tools and outgoing webhooks have a
 * repository each, which a transaction's store object delegates to.
 */
import { ZAgentSettings, type AgentSettings, type KnowledgeEntry, type Language } from "@salesbot/shared";
import type { Alert, ChannelEventRecord, StoredWebhookEvent, Store, StoreTx, Tenant, WebhookEventInput, WhatsAppNumber } from "../../domain/ports/store.js";
import type { ClaimAtInsert, ClaimedJob, JobWakeups } from "../../domain/ports/jobs.js";
import type { SecretBox } from "../../security/secret-box.js";
import { ConfigCache, configKeys } from "./config-cache.js";
import { migrate, pendingMigrationCount } from "./migrations.js";
import { toStoredWebhookEvent, type WebhookEventRow } from "./sql-rows.js";
import type { SqlDriver, SqlExecutor } from "./sql-driver.js";
import { SqlContactRepository } from "./sql-contacts.js";
import { SqlConversationRepository } from "./sql-conversations.js";
import { SqlHandoffRepository } from "./sql-handoffs.js";
import { SqlMessageRepository } from "./sql-messages.js";
import { SqlRepToolsRepository } from "./sql-rep-tools.js";
import { SqlJobQueue } from "./sql-jobs.js";
import { SqlWebhookRepository } from "./sql-webhooks.js";
import { WebhookEventBatcher } from "./webhook-event-batcher.js";

/**
 * How a store object uses the configuration cache. Inside a transaction (`changedInTransaction` set)
 * reads still use cached entries but add none, a key the transaction wrote is read from the database,
 * and the keys it writes are dropped again after commit.
 */
interface ConfigAccess {
  cache: ConfigCache;
  changedInTransaction: Set<string> | null;
}

class SqlStoreTx implements StoreTx {
  readonly jobs: SqlJobQueue;
  readonly handoffs: SqlHandoffRepository;
  readonly repTools: SqlRepToolsRepository;
  readonly webhooks: SqlWebhookRepository;
  private readonly contacts: SqlContactRepository;
  private readonly conversations: SqlConversationRepository;
  private readonly messages: SqlMessageRepository;

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
    this.contacts = new SqlContactRepository(db);
    this.messages = new SqlMessageRepository(db);
    this.conversations = new SqlConversationRepository(db, this.messages, this.contacts);
  }

  afterCommit(effect: () => void): void {
    this.db.afterCommit(effect);
  }

  private cachedConfig<T>(key: string, load: () => Promise<T>): Promise<T> {
    // A transaction that wrote the key reads its own write: the cache holds, or loads, the committed one.
    if (this.config.changedInTransaction?.has(key)) return load();
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

  // The rest of StoreTx, as the repositories implement it.

  upsertContact(...args: Parameters<StoreTx["upsertContact"]>): ReturnType<StoreTx["upsertContact"]> {
    return this.contacts.upsertContact(...args);
  }

  getContact(...args: Parameters<StoreTx["getContact"]>): ReturnType<StoreTx["getContact"]> {
    return this.contacts.getContact(...args);
  }

  getContacts(...args: Parameters<StoreTx["getContacts"]>): ReturnType<StoreTx["getContacts"]> {
    return this.contacts.getContacts(...args);
  }

  changeContactWaId(...args: Parameters<StoreTx["changeContactWaId"]>): ReturnType<StoreTx["changeContactWaId"]> {
    return this.contacts.changeContactWaId(...args);
  }

  changeContactUserId(...args: Parameters<StoreTx["changeContactUserId"]>): ReturnType<StoreTx["changeContactUserId"]> {
    return this.contacts.changeContactUserId(...args);
  }

  setContactOptOut(...args: Parameters<StoreTx["setContactOptOut"]>): ReturnType<StoreTx["setContactOptOut"]> {
    return this.contacts.setContactOptOut(...args);
  }

  setContactCrmFacts(...args: Parameters<StoreTx["setContactCrmFacts"]>): ReturnType<StoreTx["setContactCrmFacts"]> {
    return this.contacts.setContactCrmFacts(...args);
  }

  getOrCreateConversation(...args: Parameters<StoreTx["getOrCreateConversation"]>): ReturnType<StoreTx["getOrCreateConversation"]> {
    return this.conversations.getOrCreateConversation(...args);
  }

  getConversation(...args: Parameters<StoreTx["getConversation"]>): ReturnType<StoreTx["getConversation"]> {
    return this.conversations.getConversation(...args);
  }

  getConversationWithContact(...args: Parameters<StoreTx["getConversationWithContact"]>): ReturnType<StoreTx["getConversationWithContact"]> {
    return this.conversations.getConversationWithContact(...args);
  }

  readConversationAtCommit(...args: Parameters<StoreTx["readConversationAtCommit"]>): ReturnType<StoreTx["readConversationAtCommit"]> {
    return this.conversations.readConversationAtCommit(...args);
  }

  listConversations(...args: Parameters<StoreTx["listConversations"]>): ReturnType<StoreTx["listConversations"]> {
    return this.conversations.listConversations(...args);
  }

  findConversationsByPhone(...args: Parameters<StoreTx["findConversationsByPhone"]>): ReturnType<StoreTx["findConversationsByPhone"]> {
    return this.conversations.findConversationsByPhone(...args);
  }

  linkCrmRecord(...args: Parameters<StoreTx["linkCrmRecord"]>): ReturnType<StoreTx["linkCrmRecord"]> {
    return this.conversations.linkCrmRecord(...args);
  }

  findConversationsByCrmRecord(...args: Parameters<StoreTx["findConversationsByCrmRecord"]>): ReturnType<StoreTx["findConversationsByCrmRecord"]> {
    return this.conversations.findConversationsByCrmRecord(...args);
  }

  listCrmLinks(...args: Parameters<StoreTx["listCrmLinks"]>): ReturnType<StoreTx["listCrmLinks"]> {
    return this.conversations.listCrmLinks(...args);
  }

  conversationStats(...args: Parameters<StoreTx["conversationStats"]>): ReturnType<StoreTx["conversationStats"]> {
    return this.conversations.conversationStats(...args);
  }

  setConversationMode(...args: Parameters<StoreTx["setConversationMode"]>): ReturnType<StoreTx["setConversationMode"]> {
    return this.conversations.setConversationMode(...args);
  }

  markAnsweredThrough(...args: Parameters<StoreTx["markAnsweredThrough"]>): ReturnType<StoreTx["markAnsweredThrough"]> {
    return this.conversations.markAnsweredThrough(...args);
  }

  saveAgentState(...args: Parameters<StoreTx["saveAgentState"]>): ReturnType<StoreTx["saveAgentState"]> {
    return this.conversations.saveAgentState(...args);
  }

  saveAgentStateInMode(...args: Parameters<StoreTx["saveAgentStateInMode"]>): ReturnType<StoreTx["saveAgentStateInMode"]> {
    return this.conversations.saveAgentStateInMode(...args);
  }

  upsertContactWithConversation(...args: Parameters<StoreTx["upsertContactWithConversation"]>): ReturnType<StoreTx["upsertContactWithConversation"]> {
    return this.conversations.upsertContactWithConversation(...args);
  }

  saveAgentStateWithReply(...args: Parameters<StoreTx["saveAgentStateWithReply"]>): ReturnType<StoreTx["saveAgentStateWithReply"]> {
    return this.conversations.saveAgentStateWithReply(...args);
  }

  insertInboundMessage(...args: Parameters<StoreTx["insertInboundMessage"]>): ReturnType<StoreTx["insertInboundMessage"]> {
    return this.messages.insertInboundMessage(...args);
  }

  insertOutboundMessage(...args: Parameters<StoreTx["insertOutboundMessage"]>): ReturnType<StoreTx["insertOutboundMessage"]> {
    return this.messages.insertOutboundMessage(...args);
  }

  getMessage(...args: Parameters<StoreTx["getMessage"]>): ReturnType<StoreTx["getMessage"]> {
    return this.messages.getMessage(...args);
  }

  getMessageForSending(...args: Parameters<StoreTx["getMessageForSending"]>): ReturnType<StoreTx["getMessageForSending"]> {
    return this.messages.getMessageForSending(...args);
  }

  findMessageByWamid(...args: Parameters<StoreTx["findMessageByWamid"]>): ReturnType<StoreTx["findMessageByWamid"]> {
    return this.messages.findMessageByWamid(...args);
  }

  listStatusEvents(...args: Parameters<StoreTx["listStatusEvents"]>): ReturnType<StoreTx["listStatusEvents"]> {
    return this.messages.listStatusEvents(...args);
  }

  listMessages(...args: Parameters<StoreTx["listMessages"]>): ReturnType<StoreTx["listMessages"]> {
    return this.messages.listMessages(...args);
  }

  listRecentMessages(...args: Parameters<StoreTx["listRecentMessages"]>): ReturnType<StoreTx["listRecentMessages"]> {
    return this.messages.listRecentMessages(...args);
  }

  markOutboundAccepted(...args: Parameters<StoreTx["markOutboundAccepted"]>): ReturnType<StoreTx["markOutboundAccepted"]> {
    return this.messages.markOutboundAccepted(...args);
  }

  markOutboundFailed(...args: Parameters<StoreTx["markOutboundFailed"]>): ReturnType<StoreTx["markOutboundFailed"]> {
    return this.messages.markOutboundFailed(...args);
  }

  applyStatus(...args: Parameters<StoreTx["applyStatus"]>): ReturnType<StoreTx["applyStatus"]> {
    return this.messages.applyStatus(...args);
  }

  saveMedia(...args: Parameters<StoreTx["saveMedia"]>): ReturnType<StoreTx["saveMedia"]> {
    return this.messages.saveMedia(...args);
  }

  getMedia(...args: Parameters<StoreTx["getMedia"]>): ReturnType<StoreTx["getMedia"]> {
    return this.messages.getMedia(...args);
  }

  hasMedia(...args: Parameters<StoreTx["hasMedia"]>): ReturnType<StoreTx["hasMedia"]> {
    return this.messages.hasMedia(...args);
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
