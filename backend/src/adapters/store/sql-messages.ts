/**
 * Messages both ways, their delivery statuses (which only move forward) and their media.
 */
import { deliveryRank, parseDeliveryStatus, type DeliveryStatus } from "../../domain/delivery-status.js";
import { AppError } from "../../domain/errors.js";
import type { MediaObject, Message, MessageForSending, NewInboundMessage, NewOutboundMessage, OutboundContentRecord, StatusUpdate } from "../../domain/ports/store.js";
import { contactColumns, conversationColumns, messageColumns, selectPrefixed, toContact, toConversation, toMessage, unprefixed, type ContactRow, type ConversationRow, type MessageRow } from "./sql-rows.js";
import type { SqlExecutor, SqlValue } from "./sql-driver.js";

/** Writes must not depend on callers pairing tenant and conversation correctly. */
export async function assertConversationOf(db: SqlExecutor, tenantId: string, conversationId: string): Promise<void> {
  const [row] = await db.all<{ id: string }>(`SELECT id FROM conversations WHERE tenant_id = ? AND id = ?`, [tenantId, conversationId]);
  if (!row) throw new AppError("not_found", "No such conversation for this tenant.");
}

/** An outbound message goes in queued: the columns after its tenant and conversation take `outboundValues`. */
export const OUTBOUND_COLUMNS = `tenant_id, conversation_id, direction, sender, type, text, payload, status, status_rank, created_at, updated_at`;
export const OUTBOUND_VALUES = `'outbound', ?, ?, ?, ?, 'queued', ?, ?, ?`;

export function outboundValues(content: OutboundContentRecord, createdAt: number): SqlValue[] {
  return [content.sender, content.type, content.text, JSON.stringify(content.payload), deliveryRank("queued"), createdAt, createdAt];
}

export class SqlMessageRepository {
  constructor(private readonly db: SqlExecutor) {}

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
      await assertConversationOf(this.db, message.tenantId, message.conversationId);
      return null;
    }
    if (this.db.dialect !== "postgres") await this.db.run(touch, touchValues);
    return toMessage(row);
  }

  async insertOutboundMessage(message: NewOutboundMessage): Promise<Message> {
    const values = outboundValues(message, message.createdAt);
    if (this.db.dialect === "postgres") {
      // One round trip: touching the conversation is also the check that it is this tenant's.
      const [row] = await this.db.all<MessageRow>(
        `WITH touched AS (UPDATE conversations SET updated_at = ? WHERE tenant_id = ? AND id = ? RETURNING tenant_id, id)
         INSERT INTO messages (${OUTBOUND_COLUMNS}) SELECT touched.tenant_id, touched.id, ${OUTBOUND_VALUES} FROM touched RETURNING *`,
        [message.createdAt, message.tenantId, message.conversationId, ...values],
      );
      if (!row) throw new AppError("not_found", "No such conversation for this tenant.");
      return toMessage(row);
    }
    // Touching the conversation first doubles as the check that it is this tenant's.
    const touched = await this.db.run(`UPDATE conversations SET updated_at = ? WHERE tenant_id = ? AND id = ?`, [message.createdAt, message.tenantId, message.conversationId]);
    if (touched.changes === 0) throw new AppError("not_found", "No such conversation for this tenant.");
    const [row] = await this.db.all<MessageRow>(
      `INSERT INTO messages (${OUTBOUND_COLUMNS}) VALUES (?, ?, ${OUTBOUND_VALUES}) RETURNING *`,
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
      // A view of the driver's buffer, not a copy: a document can be 100 MB.
      bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
      storedAt: Number(row.stored_at),
    };
  }

  async hasMedia(tenantId: string, mediaId: string): Promise<boolean> {
    const rows = await this.db.all(`SELECT 1 AS found FROM media WHERE tenant_id = ? AND media_id = ?`, [tenantId, mediaId]);
    return rows.length > 0;
  }
}
