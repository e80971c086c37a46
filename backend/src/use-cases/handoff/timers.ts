/**
 * Durable handoff timers (jobs, so they survive restarts): SLA warnings and breaches, routing of work
 * queued out of hours once the team opens, and the holding message for a customer still waiting.
 */
import { phrases } from "../../domain/agent/messages.js";
import { markBreached, markWarned, recordCustomerMessage, type SlaClockName } from "../../domain/handoff/sla.js";
import { customerServiceWindow } from "../../domain/reply-window.js";
import type { Conversation, StoreTx } from "../../domain/ports/store.js";
import type { UseCaseContext } from "../context.js";
import { queueOutbound } from "../queue-outbound.js";
import { publishEvent } from "./events.js";
import { routeHandoff, scheduleSlaChecks, slaPolicyOf, teamHours } from "./handoff-service.js";

export async function checkSla(ctx: UseCaseContext, input: { tenantId: string; handoffId: string; clock: SlaClockName; kind: "warning" | "breach"; dueAt: number }): Promise<"stale" | "warned" | "breached"> {
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const handoff = await tx.handoffs.get(input.tenantId, input.handoffId);
    const clock = handoff?.sla[input.clock];
    if (!handoff || !clock || clock.dueAt !== input.dueAt || clock.metAt !== null || clock.breachedAt !== null) return "stale";
    if (handoff.status === "resolved" || handoff.status === "returned_to_bot") return "stale";
    const settings = await tx.handoffs.getSettings(input.tenantId);
    const data = { handoffId: handoff.id, conversationId: handoff.conversationId, clock: input.clock, dueAt: clock.dueAt, ownerId: handoff.ownerId, team: handoff.team, priority: handoff.priority };
    if (input.kind === "warning") {
      await tx.handoffs.save({ ...handoff, sla: markWarned(handoff.sla, input.clock, now) }, now);
      await publishEvent(tx, input.tenantId, "sla.warning", data, now);
      return "warned";
    }
    let breached = { ...handoff, sla: markBreached(handoff.sla, input.clock, Math.max(now, clock.dueAt)) };
    await tx.handoffs.save(breached, now);
    await publishEvent(tx, input.tenantId, "sla.breached", data, now);
    if (settings.sla.onBreach.notifyLead) {
      const leads = (await tx.handoffs.listReps(input.tenantId)).filter((rep) => rep.isLead && rep.teams.includes(handoff.team)).map((rep) => rep.id);
      await tx.raiseAlert({
        tenantId: input.tenantId,
        kind: "sla_breached",
        message: `SLA ${input.clock} missed on a ${handoff.priority} ${handoff.reason} handoff in team ${handoff.team}${leads.length ? ` (lead: ${leads.join(", ")})` : ""}.`,
        at: now,
      });
    }
    if (settings.sla.onBreach.reassign && input.clock !== "resolution" && handoff.ownerId !== null) {
      breached = await routeHandoff(tx, breached, settings, null, { now, actor: "sla", exclude: handoff.ownerId });
    }
    return "breached";
  });
}

export async function routeQueued(ctx: UseCaseContext, tenantId: string, handoffId: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const handoff = await tx.handoffs.get(tenantId, handoffId);
    if (!handoff || handoff.status !== "queued") return;
    const settings = await tx.handoffs.getSettings(tenantId);
    await routeHandoff(tx, { ...handoff, queuedUntil: null }, settings, null, { now: ctx.clock.now(), actor: "router" });
  });
}

export async function sendStillWaiting(ctx: UseCaseContext, tenantId: string, handoffId: string): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const now = ctx.clock.now();
    const handoff = await tx.handoffs.get(tenantId, handoffId);
    if (!handoff || handoff.firstResponseAt !== null || (handoff.status !== "queued" && handoff.status !== "assigned")) return;
    const conversation = await tx.getConversation(tenantId, handoff.conversationId);
    if (!conversation || !customerServiceWindow(conversation.lastInboundAt, now).allowed) return;
    const language = conversation.agent.language ?? handoff.summary.language;
    await queueOutbound(tx, { conversation, sender: "bot", purpose: "reply", content: { type: "text", text: { body: phrases[language].stillWaiting } }, now });
  });
}

/** The customer wrote while a person owns the conversation: the next-response clock starts. */
export async function onCustomerMessageDuringHandoff(tx: StoreTx, conversation: Conversation, now: number): Promise<void> {
  const handoff = await tx.handoffs.open(conversation.tenantId, conversation.id);
  if (!handoff || handoff.status === "queued") return;
  const settings = await tx.handoffs.getSettings(conversation.tenantId);
  const sla = recordCustomerMessage(handoff.sla, slaPolicyOf(settings), handoff.priority, teamHours(settings, handoff.team), now);
  if (sla === handoff.sla) return;
  const updated = { ...handoff, sla };
  await tx.handoffs.save(updated, now);
  await scheduleSlaChecks(tx, updated, slaPolicyOf(settings), now, ["nextResponse"]);
}
