/**
 * Follow-ups, approvals and templates in SQL, tenant-scoped in every statement.
 */
import type { ApprovalView, TemplateView } from "@salesbot/shared";
import type { FollowUpRecord, RepToolsRepository } from "../../domain/ports/rep-tools.js";
import type { SqlExecutor } from "./sql-driver.js";

interface FollowUpRow {
  id: number;
  tenant_id: string;
  conversation_id: string;
  created_by: string;
  run_at: number;
  content: string;
  status: string;
  result: string | null;
}

interface ApprovalRow {
  id: number;
  conversation_id: string;
  requested_by: string;
  kind: string;
  detail: string;
  status: string;
  decided_by: string | null;
  decided_at: number | null;
  comment: string | null;
  created_at: number;
}

function toFollowUp(row: FollowUpRow): FollowUpRecord {
  const stored = JSON.parse(row.content) as { content: unknown; preview: string };
  return {
    id: Number(row.id),
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    createdBy: row.created_by,
    at: Number(row.run_at),
    content: stored.content,
    preview: stored.preview,
    status: row.status as FollowUpRecord["status"],
    result: row.result,
  };
}

function toApproval(row: ApprovalRow): ApprovalView {
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    kind: row.kind as ApprovalView["kind"],
    detail: row.detail,
    status: row.status as ApprovalView["status"],
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    comment: row.comment,
    createdAt: Number(row.created_at),
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
  };
}

export class SqlRepToolsRepository implements RepToolsRepository {
  constructor(private readonly db: SqlExecutor) {}

  async addFollowUp(input: { tenantId: string; conversationId: string; createdBy: string; at: number; content: unknown; preview: string; now: number }): Promise<number> {
    const [row] = await this.db.all<{ id: number }>(
      `INSERT INTO follow_ups (tenant_id, conversation_id, created_by, run_at, content, status, created_at) VALUES (?, ?, ?, ?, ?, 'scheduled', ?) RETURNING id`,
      [input.tenantId, input.conversationId, input.createdBy, input.at, JSON.stringify({ content: input.content, preview: input.preview }), input.now],
    );
    return Number(row!.id);
  }

  async getFollowUp(tenantId: string, id: number): Promise<FollowUpRecord | null> {
    const [row] = await this.db.all<FollowUpRow>(`SELECT * FROM follow_ups WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? toFollowUp(row) : null;
  }

  async listFollowUps(tenantId: string, conversationId: string): Promise<FollowUpRecord[]> {
    const rows = await this.db.all<FollowUpRow>(`SELECT * FROM follow_ups WHERE tenant_id = ? AND conversation_id = ? ORDER BY run_at, id`, [tenantId, conversationId]);
    return rows.map(toFollowUp);
  }

  async settleFollowUp(tenantId: string, id: number, status: "sent" | "skipped" | "cancelled", result: string | null): Promise<boolean> {
    const { changes } = await this.db.run(`UPDATE follow_ups SET status = ?, result = ? WHERE tenant_id = ? AND id = ? AND status = 'scheduled'`, [status, result, tenantId, id]);
    return changes === 1;
  }

  async addApproval(input: { tenantId: string; conversationId: string; requestedBy: string; kind: ApprovalView["kind"]; detail: string; now: number }): Promise<number> {
    const [row] = await this.db.all<{ id: number }>(
      `INSERT INTO approvals (tenant_id, conversation_id, requested_by, kind, detail, status, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?) RETURNING id`,
      [input.tenantId, input.conversationId, input.requestedBy, input.kind, input.detail, input.now],
    );
    return Number(row!.id);
  }

  async getApproval(tenantId: string, id: number): Promise<ApprovalView | null> {
    const [row] = await this.db.all<ApprovalRow>(`SELECT * FROM approvals WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row ? toApproval(row) : null;
  }

  async listApprovals(tenantId: string, filter: { status?: ApprovalView["status"]; conversationId?: string }): Promise<ApprovalView[]> {
    const rows = await this.db.all<ApprovalRow>(
      `SELECT * FROM approvals WHERE tenant_id = ? AND (? IS NULL OR status = ?) AND (? IS NULL OR conversation_id = ?) ORDER BY id`,
      [tenantId, filter.status ?? null, filter.status ?? null, filter.conversationId ?? null, filter.conversationId ?? null],
    );
    return rows.map(toApproval);
  }

  async decideApproval(tenantId: string, id: number, decision: { approved: boolean; by: string; comment: string | null; now: number }): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE tenant_id = ? AND id = ? AND status = 'pending'`,
      [decision.approved ? "approved" : "rejected", decision.by, decision.now, decision.comment, tenantId, id],
    );
    return changes === 1;
  }

  async replaceTemplates(tenantId: string, templates: TemplateView[], components: Map<string, unknown>, now: number): Promise<void> {
    await this.db.run(`DELETE FROM message_templates WHERE tenant_id = ?`, [tenantId]);
    for (const t of templates) {
      await this.db.run(
        `INSERT INTO message_templates (tenant_id, name, language, status, category, body_parameters, components, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [tenantId, t.name, t.language, t.status, t.category, t.bodyParameters, JSON.stringify(components.get(`${t.name}:${t.language}`) ?? []), now],
      );
    }
  }

  async listTemplates(tenantId: string): Promise<TemplateView[]> {
    const rows = await this.db.all<{ name: string; language: string; status: string; category: string | null; body_parameters: number }>(
      `SELECT name, language, status, category, body_parameters FROM message_templates WHERE tenant_id = ? ORDER BY name, language`,
      [tenantId],
    );
    return rows.map((r) => ({ name: r.name, language: r.language, status: r.status, category: r.category, bodyParameters: Number(r.body_parameters) }));
  }
}
