/**
 * Follow-ups a rep schedules for the bot to send later, within WhatsApp's rules: free text only while
 * the 24-hour window is open at sending time, otherwise an approved template; never to a customer
 * who opted out. What happened is recorded on the follow-up.
 */
import type { FollowUpView } from "@salesbot/shared";
import { AppError } from "../../domain/errors.js";
import { maySend } from "../../domain/reply-window.js";
import { jobKinds } from "../../jobs/job-kinds.js";
import type { UseCaseContext } from "../context.js";
import type { Caller } from "../handoff/rep-actions.js";
import { outboundKind, queueOutbound, renderOutbound, type OutboundContent } from "../queue-outbound.js";

const MAX_AHEAD_MS = 30 * 24 * 60 * 60_000;

export async function scheduleFollowUp(ctx: UseCaseContext, caller: Caller, conversationId: string, at: number, content: OutboundContent): Promise<FollowUpView> {
  const now = ctx.clock.now();
  if (at <= now) throw new AppError("bad_request", "A follow-up must be scheduled in the future.");
  if (at - now > MAX_AHEAD_MS) throw new AppError("bad_request", "A follow-up can be scheduled at most 30 days ahead.");
  return ctx.store.transaction(async (tx) => {
    const conversation = await tx.getConversation(caller.tenantId, conversationId);
    if (!conversation) throw new AppError("not_found", "No such conversation.");
    const contact = await tx.getContact(caller.tenantId, conversation.contactId);
    if (contact?.optedOut) throw new AppError("opted_out", "The customer opted out of messages from this business.");
    if (!maySend(outboundKind(content), conversation.lastInboundAt, at).allowed) {
      throw new AppError("window_closed", "At that time the 24-hour window will be closed: schedule a template instead.");
    }
    const preview = renderOutbound(content);
    const id = await tx.repTools.addFollowUp({ tenantId: caller.tenantId, conversationId, createdBy: caller.actor, at, content, preview, now });
    await tx.jobs.enqueue({ kind: jobKinds.followUp, tenantId: caller.tenantId, payload: { tenantId: caller.tenantId, followUpId: id }, runAt: at });
    return { id, at, status: "scheduled", result: null, createdBy: caller.actor, preview };
  });
}

export async function cancelFollowUp(ctx: UseCaseContext, caller: Caller, id: number): Promise<void> {
  const cancelled = await ctx.store.repTools.settleFollowUp(caller.tenantId, id, "cancelled", `cancelled by ${caller.actor}`);
  if (!cancelled) throw new AppError("not_found", "No scheduled follow-up with that id.");
}

/** The job: send now if still allowed, else record why not. */
export async function sendFollowUp(ctx: UseCaseContext, tenantId: string, id: number): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const followUp = await tx.repTools.getFollowUp(tenantId, id);
    if (!followUp || followUp.status !== "scheduled") return;
    const conversation = await tx.getConversation(tenantId, followUp.conversationId);
    if (!conversation) return;
    const now = ctx.clock.now();
    try {
      await queueOutbound(tx, { conversation, sender: "bot", purpose: "business_initiated", content: followUp.content as OutboundContent, now });
      await tx.repTools.settleFollowUp(tenantId, id, "sent", null);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await tx.repTools.settleFollowUp(tenantId, id, "skipped", error.message);
      await tx.handoffs.addAudit({ tenantId, conversationId: conversation.id, actor: "bot", action: "follow_up_skipped", fromMode: null, toMode: null, detail: error.code, at: now });
    }
  });
}
