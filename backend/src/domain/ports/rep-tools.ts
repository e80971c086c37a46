/**
 * Persistence of the rep's tools: scheduled follow-ups, approval requests, and the WhatsApp message
 * templates synced from the account.
 */
import type { ApprovalView, FollowUpView, TemplateView } from "@salesbot/shared";

export interface FollowUpRecord extends FollowUpView {
  tenantId: string;
  conversationId: string;
  content: unknown;
}

export interface RepToolsRepository {
  addFollowUp(input: { tenantId: string; conversationId: string; createdBy: string; at: number; content: unknown; preview: string; now: number }): Promise<number>;
  getFollowUp(tenantId: string, id: number): Promise<FollowUpRecord | null>;
  listFollowUps(tenantId: string, conversationId: string): Promise<FollowUpRecord[]>;
  settleFollowUp(tenantId: string, id: number, status: "sent" | "skipped" | "cancelled", result: string | null): Promise<boolean>;

  addApproval(input: { tenantId: string; conversationId: string; requestedBy: string; kind: ApprovalView["kind"]; detail: string; now: number }): Promise<number>;
  getApproval(tenantId: string, id: number): Promise<ApprovalView | null>;
  listApprovals(tenantId: string, filter: { status?: ApprovalView["status"]; conversationId?: string }): Promise<ApprovalView[]>;
  decideApproval(tenantId: string, id: number, decision: { approved: boolean; by: string; comment: string | null; now: number }): Promise<boolean>;

  replaceTemplates(tenantId: string, templates: TemplateView[], components: Map<string, unknown>, now: number): Promise<void>;
  listTemplates(tenantId: string): Promise<TemplateView[]>;
}
