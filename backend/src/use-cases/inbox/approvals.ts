/**
 * Approval requests: a rep asks a team lead to approve something the rep may not grant alone (a
 * discount, contract terms). Only a lead of the conversation's team decides; the decision is audited.
 */
import type { ApprovalView } from "@salesbot/shared";
import { AppError } from "../../domain/errors.js";
import type { UseCaseContext } from "../context.js";
import type { Caller } from "../handoff/rep-actions.js";

export async function requestApproval(ctx: UseCaseContext, caller: Caller, conversationId: string, kind: ApprovalView["kind"], detail: string): Promise<ApprovalView> {
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.getConversation(caller.tenantId, conversationId))) throw new AppError("not_found", "No such conversation.");
    const now = ctx.clock.now();
    const id = await tx.repTools.addApproval({ tenantId: caller.tenantId, conversationId, requestedBy: caller.actor, kind, detail, now });
    await tx.handoffs.addAudit({ tenantId: caller.tenantId, conversationId, actor: caller.actor, action: "approval_requested", fromMode: null, toMode: null, detail: kind, at: now });
    return (await tx.repTools.getApproval(caller.tenantId, id))!;
  });
}

export async function decideApproval(ctx: UseCaseContext, caller: Caller, id: number, approve: boolean, comment: string | null): Promise<ApprovalView> {
  return ctx.store.transaction(async (tx) => {
    const approval = await tx.repTools.getApproval(caller.tenantId, id);
    if (!approval) throw new AppError("not_found", "No such approval request.");
    const handoff = await tx.handoffs.latest(caller.tenantId, approval.conversationId);
    const team = handoff?.team ?? "sales";
    const rep = await tx.handoffs.getRep(caller.tenantId, caller.actor);
    if (!rep?.isLead || !rep.teams.includes(team)) throw new AppError("forbidden", `Only a lead of team ${team} can decide this request.`);
    const now = ctx.clock.now();
    if (!(await tx.repTools.decideApproval(caller.tenantId, id, { approved: approve, by: caller.actor, comment, now }))) throw new AppError("conflict", "This request was already decided.");
    await tx.handoffs.addAudit({ tenantId: caller.tenantId, conversationId: approval.conversationId, actor: caller.actor, action: approve ? "approval_granted" : "approval_rejected", fromMode: null, toMode: null, detail: comment, at: now });
    return (await tx.repTools.getApproval(caller.tenantId, id))!;
  });
}
