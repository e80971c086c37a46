/**
 * What a rep does from the CRM card or the console: take over, assign, reply, add a note, return the
 * conversation to the bot, resolve it, go away or come back. Each action is one transaction; the
 * tenant and the acting rep come from the verified caller, never from the request body.
 */
import type { Rep } from "@salesbot/shared";
import { AppError } from "../../domain/errors.js";
import { recordRepReply, recordResolution } from "../../domain/handoff/sla.js";
import type { Handoff } from "../../domain/ports/handoffs.js";
import type { Conversation, Message, StoreTx } from "../../domain/ports/store.js";
import type { UseCaseContext } from "../context.js";
import { queueOutbound, type OutboundContent } from "../queue-outbound.js";
import { jobKinds } from "../../jobs/job-kinds.js";
import { checkTemplate } from "../inbox/templates.js";
import { publishEvent } from "./events.js";
import { assignTo, drainQueue, requestHandoff, routeHandoff } from "./handoff-service.js";
import { changeMode } from "./mode.js";

export interface Caller {
  tenantId: string;
  /** The acting rep (a CRM user id), or an operator. */
  actor: string;
}

async function conversationOf(tx: StoreTx, tenantId: string, conversationId: string): Promise<Conversation> {
  const conversation = await tx.getConversation(tenantId, conversationId);
  if (!conversation) throw new AppError("not_found", "No such conversation.");
  return conversation;
}

async function repOf(tx: StoreTx, tenantId: string, repId: string): Promise<Rep> {
  const rep = await tx.handoffs.getRep(tenantId, repId);
  if (!rep) throw new AppError("not_found", `No rep ${repId} in this account.`);
  return rep;
}

/** The open handoff, or a new one when a rep steps into a conversation the bot was handling. */
async function ensureHandoff(tx: StoreTx, conversation: Conversation, caller: Caller, now: number): Promise<Handoff> {
  const open = await tx.handoffs.open(conversation.tenantId, conversation.id);
  if (open) return open;
  const contact = await tx.getContact(conversation.tenantId, conversation.contactId);
  const previous = conversation.agent.handoff;
  const { handoff } = await requestHandoff(tx, {
    conversation,
    contact,
    reason: previous?.reason ?? "human_requested",
    priority: previous?.priority ?? "normal",
    team: previous?.team ?? "sales",
    summary: previous?.summary ?? {
      need: conversation.agent.qualification.need,
      budget: null,
      product: conversation.agent.qualification.product_interest,
      urgency: "normal",
      unansweredQuestion: null,
      sentiment: "neutral",
      intent: conversation.agent.lastIntent ?? "other",
      confidence: 1,
      language: conversation.agent.language ?? "en",
      text: `${caller.actor} took over the conversation from the bot.`,
    },
    preferredRepId: null,
    actor: caller.actor,
    now,
  });
  return handoff;
}

export async function takeOver(ctx: UseCaseContext, caller: Caller, conversationId: string): Promise<Handoff> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await repOf(tx, caller.tenantId, caller.actor);
    const conversation = await conversationOf(tx, caller.tenantId, conversationId);
    const handoff = await ensureHandoff(tx, conversation, caller, now);
    if (handoff.ownerId === caller.actor) return handoff;
    return assignTo(tx, handoff, caller.actor, { now, actor: caller.actor });
  });
}

export async function assign(ctx: UseCaseContext, caller: Caller, conversationId: string, repId: string): Promise<Handoff> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await repOf(tx, caller.tenantId, repId);
    const conversation = await conversationOf(tx, caller.tenantId, conversationId);
    const handoff = await ensureHandoff(tx, conversation, caller, now);
    return assignTo(tx, handoff, repId, { now, actor: caller.actor });
  });
}

/** A rep's message to the customer: the window rule applies; the SLA clock is met. */
export async function repReply(ctx: UseCaseContext, caller: Caller, conversationId: string, content: OutboundContent): Promise<Message> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await repOf(tx, caller.tenantId, caller.actor);
    let conversation = await conversationOf(tx, caller.tenantId, conversationId);
    let handoff = await tx.handoffs.open(caller.tenantId, conversationId);
    if (!handoff || handoff.ownerId !== caller.actor) {
      // Replying is taking over: the bot must not talk over the rep.
      handoff = await assignTo(tx, handoff ?? (await ensureHandoff(tx, conversation, caller, now)), caller.actor, { now, actor: caller.actor });
      conversation = await conversationOf(tx, caller.tenantId, conversationId);
    }
    if (content.type === "template") {
      // An opted-out customer is the first thing the rep must hear about, whatever the template.
      const contact = await tx.getContact(caller.tenantId, conversation.contactId);
      if (contact?.optedOut) throw new AppError("opted_out", "The customer opted out of messages from this business; they must opt in again first.");
      const variables = content.template.components?.find((c) => c.type === "body")?.parameters?.length ?? 0;
      await checkTemplate(tx, caller.tenantId, content.template.name, content.template.language.code, variables);
    }
    const purpose = content.type === "template" ? "business_initiated" : "reply";
    const message = await queueOutbound(tx, { conversation, sender: "human", purpose, content, now });
    await tx.handoffs.save({ ...handoff, status: "answered", firstResponseAt: handoff.firstResponseAt ?? now, sla: recordRepReply(handoff.sla, now) }, now);
    const { idleReturnMinutes } = await tx.handoffs.getSettings(caller.tenantId);
    if (idleReturnMinutes !== null) {
      await tx.jobs.enqueue({ kind: jobKinds.idleCheck, tenantId: caller.tenantId, payload: { tenantId: caller.tenantId, conversationId, lastActivityAt: now }, runAt: now + idleReturnMinutes * 60_000 });
    }
    return message;
  });
}

export async function addNote(ctx: UseCaseContext, caller: Caller, conversationId: string, text: string): Promise<number> {
  return ctx.store.transaction(async (tx) => {
    await conversationOf(tx, caller.tenantId, conversationId);
    return tx.handoffs.addNote(caller.tenantId, conversationId, caller.actor, text, ctx.clock.now());
  });
}

async function close(ctx: UseCaseContext, caller: Caller, conversationId: string, how: { event: "resolved" | "returned_to_bot" | "idle_timeout"; outcome: string | null; note?: string }): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const conversation = await conversationOf(tx, caller.tenantId, conversationId);
    const handoff = await tx.handoffs.open(caller.tenantId, conversationId);
    await changeMode(tx, conversation, how.event, { actor: caller.actor, detail: how.outcome, now });
    if (handoff) {
      await tx.handoffs.save(
        { ...handoff, status: how.event === "resolved" ? "resolved" : "returned_to_bot", resolvedAt: now, outcome: how.outcome, sla: recordResolution(handoff.sla, now) },
        now,
      );
    }
    if (how.note) await tx.handoffs.addNote(caller.tenantId, conversationId, caller.actor, how.note, now);
    // The bot starts afresh after a person has handled the conversation: no stale question pending.
    await tx.saveAgentState(caller.tenantId, conversationId, { ...conversation.agent, askedField: null, handoff: null }, now);
    if (handoff) await drainQueue(tx, caller.tenantId, now);
    const type = how.event === "resolved" ? "conversation.resolved" : "conversation.returned_to_bot";
    if (how.event === "idle_timeout") await tx.handoffs.addAudit({ tenantId: caller.tenantId, conversationId, actor: caller.actor, action: "idle_return", fromMode: null, toMode: "bot", detail: null, at: now });
    await publishEvent(tx, caller.tenantId, type, { conversationId, handoffId: handoff?.id ?? null, outcome: how.outcome, by: caller.actor }, now);
  });
}

export function returnToBot(ctx: UseCaseContext, caller: Caller, conversationId: string): Promise<void> {
  return close(ctx, caller, conversationId, { event: "returned_to_bot", outcome: null });
}

/** The idle timer: nobody wrote for the configured time, so the bot takes the conversation back. */
export async function returnIdleToBot(ctx: UseCaseContext, tenantId: string, conversationId: string, lastActivityAt: number): Promise<boolean> {
  const conversation = await ctx.store.getConversation(tenantId, conversationId);
  if (!conversation || (conversation.mode !== "human" && conversation.mode !== "shared")) return false;
  const [latest] = await ctx.store.listRecentMessages(tenantId, conversationId, 1);
  if (latest && latest.createdAt > lastActivityAt) return false;
  await close(ctx, { tenantId, actor: "idle-timer" }, conversationId, { event: "idle_timeout", outcome: "idle" });
  return true;
}

export function resolve(ctx: UseCaseContext, caller: Caller, conversationId: string, outcome: string, note?: string): Promise<void> {
  return close(ctx, caller, conversationId, { event: "resolved", outcome, ...(note ? { note } : {}) });
}

/** A rep who goes away hands the work nobody has answered yet back to the queue, to be routed again. */
export async function setAvailability(ctx: UseCaseContext, caller: Caller, repId: string, status: Rep["status"]): Promise<number> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    await repOf(tx, caller.tenantId, repId);
    await tx.handoffs.setRepStatus(caller.tenantId, repId, status, now);
    const settings = await tx.handoffs.getSettings(caller.tenantId);
    if (status === "available") {
      await drainQueue(tx, caller.tenantId, now);
      return 0;
    }
    const waiting = await tx.handoffs.list(caller.tenantId, { statuses: ["assigned"], ownerId: repId });
    for (const handoff of waiting) {
      const conversation = await conversationOf(tx, caller.tenantId, handoff.conversationId);
      await changeMode(tx, conversation, "owner_released", { actor: caller.actor, detail: `${repId} went away`, now });
      const released = { ...handoff, status: "queued" as const, ownerId: null, reassignments: handoff.reassignments + 1 };
      await tx.handoffs.save(released, now);
      await routeHandoff(tx, released, settings, null, { now, actor: "router", exclude: repId });
    }
    return waiting.length;
  });
}
