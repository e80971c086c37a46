/**
 * Handoffs, reps, notes, audit log and inbox settings in SQL, tenant-scoped in every statement.
 */
import { ZHandoffSummary, ZInboxSettings, ZRep, ZSlaState, type InboxSettings, type Rep } from "@salesbot/shared";
import type { RepLoad } from "../../domain/handoff/routing.js";
import type { AuditEntry, Handoff, HandoffRepository, HandoffStatus } from "../../domain/ports/handoffs.js";
import { isAnyOf, type SqlExecutor, type SqlValue } from "./sql-driver.js";
import { nullableNumber } from "./sql-rows.js";

interface HandoffRow {
  id: string;
  tenant_id: string;
  conversation_id: string;
  reason: string;
  priority: string;
  team: string;
  owner_id: string | null;
  status: string;
  summary: string;
  requested_at: number;
  assigned_at: number | null;
  first_response_at: number | null;
  resolved_at: number | null;
  outcome: string | null;
  queued_until: number | null;
  sla: string;
  reassignments: number;
}

function toHandoff(row: HandoffRow): Handoff {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    reason: row.reason as Handoff["reason"],
    priority: row.priority as Handoff["priority"],
    team: row.team,
    ownerId: row.owner_id,
    status: row.status as HandoffStatus,
    summary: ZHandoffSummary.parse(JSON.parse(row.summary)),
    requestedAt: Number(row.requested_at),
    assignedAt: nullableNumber(row.assigned_at),
    firstResponseAt: nullableNumber(row.first_response_at),
    resolvedAt: nullableNumber(row.resolved_at),
    outcome: row.outcome,
    queuedUntil: nullableNumber(row.queued_until),
    sla: ZSlaState.parse(JSON.parse(row.sla)),
    reassignments: Number(row.reassignments),
  };
}

const OPEN: HandoffStatus[] = ["queued", "assigned", "answered"];

export class SqlHandoffRepository implements HandoffRepository {
  constructor(private readonly db: SqlExecutor) {}

  async upsertRep(tenantId: string, rep: Rep, now: number): Promise<void> {
    const r = ZRep.parse(rep);
    await this.db.run(
      `INSERT INTO reps (tenant_id, id, name, email, teams, capacity, status, is_lead, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, email = excluded.email, teams = excluded.teams,
         capacity = excluded.capacity, status = excluded.status, is_lead = excluded.is_lead, updated_at = excluded.updated_at`,
      [tenantId, r.id, r.name, r.email, JSON.stringify(r.teams), r.capacity, r.status, r.isLead ? 1 : 0, now],
    );
  }

  private toRep(row: { id: string; name: string; email: string | null; teams: string; capacity: number; status: string; is_lead: number }): Rep {
    return ZRep.parse({ id: row.id, name: row.name, email: row.email, teams: JSON.parse(row.teams), capacity: Number(row.capacity), status: row.status, isLead: Number(row.is_lead) === 1 });
  }

  async getRep(tenantId: string, repId: string): Promise<Rep | null> {
    const [row] = await this.db.all<Parameters<SqlHandoffRepository["toRep"]>[0]>(`SELECT * FROM reps WHERE tenant_id = ? AND id = ?`, [tenantId, repId]);
    return row ? this.toRep(row) : null;
  }

  async listReps(tenantId: string): Promise<Rep[]> {
    const rows = await this.db.all<Parameters<SqlHandoffRepository["toRep"]>[0]>(`SELECT * FROM reps WHERE tenant_id = ? ORDER BY id`, [tenantId]);
    return rows.map((row) => this.toRep(row));
  }

  async setRepStatus(tenantId: string, repId: string, status: Rep["status"], now: number): Promise<void> {
    await this.db.run(`UPDATE reps SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, [status, now, tenantId, repId]);
  }

  async repLoads(tenantId: string): Promise<RepLoad[]> {
    const rows = await this.db.all<{ id: string; teams: string; capacity: number; status: string; open_count: number; last_assigned_at: number | null }>(
      `SELECT r.id, r.teams, r.capacity, r.status,
         (SELECT COUNT(*) FROM handoffs h WHERE h.tenant_id = r.tenant_id AND h.owner_id = r.id AND h.status IN ('assigned', 'answered')) AS open_count,
         (SELECT MAX(h.assigned_at) FROM handoffs h WHERE h.tenant_id = r.tenant_id AND h.owner_id = r.id) AS last_assigned_at
       FROM reps r WHERE r.tenant_id = ? ORDER BY r.id`,
      [tenantId],
    );
    return rows.map((row) => ({
      id: row.id,
      teams: JSON.parse(row.teams) as string[],
      capacity: Number(row.capacity),
      available: row.status === "available",
      open: Number(row.open_count),
      lastAssignedAt: nullableNumber(row.last_assigned_at),
    }));
  }

  private values(h: Handoff): SqlValue[] {
    return [
      h.reason,
      h.priority,
      h.team,
      h.ownerId,
      h.status,
      JSON.stringify(h.summary),
      h.requestedAt,
      h.assignedAt,
      h.firstResponseAt,
      h.resolvedAt,
      h.outcome,
      h.queuedUntil,
      JSON.stringify(h.sla),
      h.reassignments,
    ];
  }

  async create(h: Handoff): Promise<void> {
    await this.db.run(
      `INSERT INTO handoffs (reason, priority, team, owner_id, status, summary, requested_at, assigned_at, first_response_at, resolved_at, outcome, queued_until, sla, reassignments, updated_at, id, tenant_id, conversation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...this.values(h), h.requestedAt, h.id, h.tenantId, h.conversationId],
    );
  }

  async save(h: Handoff, now: number): Promise<void> {
    await this.db.run(
      `UPDATE handoffs SET reason = ?, priority = ?, team = ?, owner_id = ?, status = ?, summary = ?, requested_at = ?, assigned_at = ?, first_response_at = ?,
         resolved_at = ?, outcome = ?, queued_until = ?, sla = ?, reassignments = ?, updated_at = ?
       WHERE id = ? AND tenant_id = ?`,
      [...this.values(h), now, h.id, h.tenantId],
    );
  }

  async get(tenantId: string, id: string): Promise<Handoff | null> {
    const [row] = await this.db.all<HandoffRow>(`SELECT * FROM handoffs WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? toHandoff(row) : null;
  }

  async open(tenantId: string, conversationId: string): Promise<Handoff | null> {
    const [row] = await this.db.all<HandoffRow>(
      `SELECT * FROM handoffs WHERE tenant_id = ? AND conversation_id = ? AND status IN ('queued', 'assigned', 'answered') ORDER BY requested_at DESC LIMIT 1`,
      [tenantId, conversationId],
    );
    return row ? toHandoff(row) : null;
  }

  async latest(tenantId: string, conversationId: string): Promise<Handoff | null> {
    const [row] = await this.db.all<HandoffRow>(`SELECT * FROM handoffs WHERE tenant_id = ? AND conversation_id = ? ORDER BY requested_at DESC LIMIT 1`, [tenantId, conversationId]);
    return row ? toHandoff(row) : null;
  }

  async currentFor(tenantId: string, conversationIds: readonly string[]): Promise<Map<string, Handoff>> {
    const current = new Map<string, Handoff>();
    if (conversationIds.length === 0) return current;
    const rows = await this.db.all<HandoffRow>(
      `SELECT * FROM handoffs WHERE tenant_id = ? AND ${isAnyOf(this.db, "conversation_id")} ORDER BY requested_at DESC, id`,
      [tenantId, conversationIds],
    );
    for (const handoff of rows.map(toHandoff)) {
      const seen = current.get(handoff.conversationId);
      if (!seen || (!OPEN.includes(seen.status) && OPEN.includes(handoff.status))) current.set(handoff.conversationId, handoff);
    }
    return current;
  }

  async list(tenantId: string, filter: { statuses?: HandoffStatus[]; team?: string; ownerId?: string; from?: number; to?: number; limit?: number }): Promise<Handoff[]> {
    const statuses = filter.statuses ?? OPEN;
    const where = [`tenant_id = ?`, `status IN (${statuses.map(() => "?").join(", ")})`];
    const params: SqlValue[] = [tenantId, ...statuses];
    const optional: Array<[string, SqlValue | undefined]> = [
      [`team = ?`, filter.team],
      [`owner_id = ?`, filter.ownerId],
      [`requested_at >= ?`, filter.from],
      [`requested_at < ?`, filter.to],
    ];
    for (const [clause, value] of optional) {
      if (value === undefined || value === "") continue;
      where.push(clause);
      params.push(value);
    }
    const rows = await this.db.all<HandoffRow>(`SELECT * FROM handoffs WHERE ${where.join(" AND ")} ORDER BY requested_at LIMIT ?`, [...params, filter.limit ?? 500]);
    return rows.map(toHandoff);
  }

  async addAudit(e: AuditEntry): Promise<void> {
    await this.db.run(`INSERT INTO audit_log (tenant_id, conversation_id, actor, action, from_mode, to_mode, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      e.tenantId,
      e.conversationId,
      e.actor,
      e.action,
      e.fromMode,
      e.toMode,
      e.detail,
      e.at,
    ]);
  }

  async listAudit(tenantId: string, conversationId: string): Promise<Array<AuditEntry & { id: number }>> {
    const rows = await this.db.all<{ id: number; tenant_id: string; conversation_id: string; actor: string; action: string; from_mode: string | null; to_mode: string | null; detail: string | null; at: number }>(
      `SELECT * FROM audit_log WHERE tenant_id = ? AND conversation_id = ? ORDER BY id`,
      [tenantId, conversationId],
    );
    return rows.map((r) => ({ id: Number(r.id), tenantId: r.tenant_id, conversationId: r.conversation_id, actor: r.actor, action: r.action, fromMode: r.from_mode, toMode: r.to_mode, detail: r.detail, at: Number(r.at) }));
  }

  async addNote(tenantId: string, conversationId: string, authorId: string, text: string, at: number): Promise<number> {
    const [row] = await this.db.all<{ id: number }>(`INSERT INTO notes (tenant_id, conversation_id, author_id, text, at) VALUES (?, ?, ?, ?, ?) RETURNING id`, [tenantId, conversationId, authorId, text, at]);
    return Number(row!.id);
  }

  async listNotes(tenantId: string, conversationId: string): Promise<Array<{ id: number; authorId: string; text: string; at: number }>> {
    const rows = await this.db.all<{ id: number; author_id: string; text: string; at: number }>(`SELECT * FROM notes WHERE tenant_id = ? AND conversation_id = ? ORDER BY id`, [tenantId, conversationId]);
    return rows.map((r) => ({ id: Number(r.id), authorId: r.author_id, text: r.text, at: Number(r.at) }));
  }

  async getSettings(tenantId: string): Promise<InboxSettings> {
    const [row] = await this.db.all<{ settings: string }>(`SELECT settings FROM inbox_settings WHERE tenant_id = ?`, [tenantId]);
    return ZInboxSettings.parse(row ? JSON.parse(row.settings) : {});
  }

  async putSettings(tenantId: string, settings: InboxSettings, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO inbox_settings (tenant_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      [tenantId, JSON.stringify(ZInboxSettings.parse(settings)), now],
    );
  }
}
