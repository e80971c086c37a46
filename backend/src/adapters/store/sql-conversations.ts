/**
 * Conversations: one per contact and WhatsApp number, with the agent's state of the conversation, its
 * mode (bot, human, shared, resolved), its links to CRM records, and what managers count.
 */
import { randomUUID } from "node:crypto";
import type { ConversationMode } from "../../domain/conversation-mode.js";
import type { Contact, ContactIdentity, Conversation, ConversationAgentState, ConversationStats, ConversationWithContact, CrmRecordRef, Message, OutboundContentRecord } from "../../domain/ports/store.js";
import { assertIdentified, type SqlContactRepository } from "./sql-contacts.js";
import {
  contactColumns,
  conversationColumns,
  messageColumns,
  selectPrefixed,
  toContact,
  toConversation,
  toMessage,
  unprefixed,
  type ContactRow,
  type ConversationRow,
  type MessageRow,
} from "./sql-rows.js";
import { isAnyOf, type SqlExecutor, type SqlValue } from "./sql-driver.js";
import { assertConversationOf, OUTBOUND_COLUMNS, OUTBOUND_VALUES, outboundValues, type SqlMessageRepository } from "./sql-messages.js";

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

export class SqlConversationRepository {
  constructor(
    private readonly db: SqlExecutor,
    private readonly messages: SqlMessageRepository,
    private readonly contacts: SqlContactRepository,
  ) {}

  async upsertContactWithConversation(tenantId: string, identity: ContactIdentity, phoneNumberId: string, now: number): Promise<{ contact: Contact; conversation: Conversation }> {
    assertIdentified(identity);
    if (this.db.dialect === "postgres") {
      const both = await this.findOrCreateBoth(tenantId, identity, phoneNumberId, now);
      if (both) return both;
    }
    const contact = await this.contacts.upsertContact(tenantId, identity, now);
    return { contact, conversation: await this.getOrCreateConversation(tenantId, phoneNumberId, contact.id, now) };
  }

  /**
   * PostgreSQL, one round trip for what is two otherwise: the contact found or created (as
   * upsertContact), and its conversation on this number found or created. Null when a concurrent
   * writer created either first: the two steps then run one after the other.
   */
  private async findOrCreateBoth(tenantId: string, identity: ContactIdentity, phoneNumberId: string, now: number): Promise<{ contact: Contact; conversation: Conversation } | null> {
    const contactCtes = this.contacts.findOrCreateCtes(tenantId, identity, now);
    const rows = await this.db.all<Record<string, unknown>>(
      `WITH ${contactCtes.sql},
       matched AS (SELECT *, false AS just_created FROM found UNION ALL SELECT *, true AS just_created FROM created),
       chosen AS (SELECT id FROM matched ORDER BY created_at, id LIMIT 1),
       conversation_found AS (SELECT v.* FROM conversations v, chosen WHERE v.tenant_id = ? AND v.phone_number_id = ? AND v.contact_id = chosen.id),
       conversation_created AS (
         INSERT INTO conversations (id, tenant_id, phone_number_id, contact_id, mode, created_at, updated_at)
         SELECT ?, ?, ?, chosen.id, 'bot', ?, ? FROM chosen WHERE NOT EXISTS (SELECT 1 FROM conversation_found)
         ON CONFLICT (tenant_id, phone_number_id, contact_id) DO NOTHING RETURNING *),
       conversation AS (SELECT * FROM conversation_found UNION ALL SELECT * FROM conversation_created)
       SELECT ${selectPrefixed("p", contactColumns)}, p.just_created AS p__just_created, ${selectPrefixed("v", conversationColumns)}
       FROM matched p LEFT JOIN conversation v ON true ORDER BY p.created_at, p.id`,
      [...contactCtes.values, tenantId, phoneNumberId, randomUUID(), tenantId, phoneNumberId, now, now],
    );
    const conversation = rows[0] && unprefixed<ConversationRow>(rows[0], "v", conversationColumns, "id");
    if (!conversation) return null;
    const contacts = rows.map((row) => unprefixed<ContactRow>(row, "p", contactColumns, "id")!);
    const created = rows[0]!.p__just_created === true ? contacts[0]! : null;
    const contact = await this.contacts.settle(tenantId, identity, created ? { matches: [], created } : { matches: contacts, created: null }, now);
    return { contact, conversation: toConversation(conversation) };
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
      const [found, recent] = await Promise.all([this.getConversationWithContact(tenantId, conversationId), this.messages.listRecentMessages(tenantId, conversationId, limit)]);
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
    await assertConversationOf(this.db, tenantId, conversationId);
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

  async saveAgentStateWithReply(tenantId: string, conversationId: string, state: ConversationAgentState, now: number, answeredThroughSeq: number, modes: readonly ConversationMode[], reply: OutboundContentRecord): Promise<{ conversation: Conversation; message: Message } | null> {
    if (this.db.dialect !== "postgres") {
      const conversation = await this.saveAgentStateInMode(tenantId, conversationId, state, now, answeredThroughSeq, modes);
      if (!conversation) return null;
      return { conversation, message: await this.messages.insertOutboundMessage({ tenantId, conversationId, ...reply, createdAt: now }) };
    }
    // One round trip, and one new version of the conversation's row rather than two (saving the state
    // moves updated_at, as queueing a message does).
    const { set, values } = this.agentStateChange(state, now, answeredThroughSeq);
    const [row] = await this.db.all<Record<string, unknown>>(
      `WITH saved AS (UPDATE conversations SET ${set} WHERE tenant_id = ? AND id = ? AND ${isAnyOf(this.db, "mode")} RETURNING *),
       inserted AS (INSERT INTO messages (${OUTBOUND_COLUMNS}) SELECT saved.tenant_id, saved.id, ${OUTBOUND_VALUES} FROM saved RETURNING *)
       SELECT ${selectPrefixed("c", conversationColumns)}, ${selectPrefixed("m", messageColumns)} FROM saved c, inserted m`,
      [...values, tenantId, conversationId, modes, ...outboundValues(reply, now)],
    );
    const conversation = row && unprefixed<ConversationRow>(row, "c", conversationColumns, "id");
    const message = row && unprefixed<MessageRow>(row, "m", messageColumns, "seq");
    if (!conversation || !message) return null;
    return { conversation: toConversation(conversation), message: toMessage(message) };
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
}
