/**
 * The handoff lifecycle: a handoff is created with the agent's summary and reason, routed to a team
 * and a named rep (or queued: nobody free, or the team is closed), held to its SLA, answered, and
 * resolved or returned to the bot. Every step is audited and published as an event.
 */
import { randomUUID } from "node:crypto";
import type { HandoffReason, HandoffSummary, InboxSettings, Priority } from "@salesbot/shared";
import { isOpen } from "../../domain/agent/business-hours.js";
import { AppError } from "../../domain/errors.js";
import { chooseRep, routeToTeam } from "../../domain/handoff/routing.js";
import { nextOpening, startSla, warningTime, type SlaClockName, type SlaPolicy } from "../../domain/handoff/sla.js";
import type { Handoff } from "../../domain/ports/handoffs.js";
import type { Contact, Conversation, StoreTx } from "../../domain/ports/store.js";
import { jobKinds } from "../../jobs/job-kinds.js";
import { publishEvent } from "./events.js";
import { changeMode } from "./mode.js";

export interface HandoffRequest {
  conversation: Conversation;
  contact: Contact | null;
  reason: HandoffReason;
  priority: Priority;
  team: string;
  summary: HandoffSummary;
  /** A rep who should get it first (the CRM owner, the last owner on reopen). */
  preferredRepId: string | null;
  actor: string;
  now: number;
}

export function slaPolicyOf(settings: InboxSettings): SlaPolicy {
  return settings.sla;
}

export function teamHours(settings: InboxSettings, team: string) {
  return settings.teams[team]?.businessHours ?? { timezone: "UTC", openings: [] };
}

export async function scheduleSlaChecks(tx: StoreTx, handoff: Handoff, policy: SlaPolicy, from: number, only?: SlaClockName[]): Promise<void> {
  for (const name of only ?? (["firstResponse", "nextResponse", "resolution"] as SlaClockName[])) {
    const clock = handoff.sla[name];
    if (clock.dueAt === null || clock.metAt !== null || clock.breachedAt !== null) continue;
    // Timers take no lane: each checks the state it finds, and a lane would hold a due timer behind a later one.
    const base = { kind: jobKinds.slaCheck, tenantId: handoff.tenantId, maxAttempts: 5 };
    const payload = { tenantId: handoff.tenantId, handoffId: handoff.id, clock: name, dueAt: clock.dueAt };
    if (clock.warnedAt === null) await tx.jobs.enqueue({ ...base, payload: { ...payload, kind: "warning" }, runAt: warningTime(policy, from, clock.dueAt) });
    await tx.jobs.enqueue({ ...base, payload: { ...payload, kind: "breach" }, runAt: clock.dueAt });
  }
}

/** Gives the handoff to a rep if one can take it now; otherwise it waits in the team queue. */
export async function routeHandoff(tx: StoreTx, handoff: Handoff, settings: InboxSettings, preferredRepId: string | null, options: { exclude?: string; now: number; actor: string }): Promise<Handoff> {
  const hours = teamHours(settings, handoff.team);
  if (!isOpen(hours, options.now)) {
    const routed = { ...handoff, status: "queued" as const, ownerId: null, queuedUntil: nextOpening(hours, options.now) };
    await tx.handoffs.save(routed, options.now);
    await tx.jobs.enqueue({ kind: jobKinds.routeHandoff, tenantId: handoff.tenantId, payload: { tenantId: handoff.tenantId, handoffId: handoff.id }, runAt: routed.queuedUntil });
    return routed;
  }
  const loads = (await tx.handoffs.repLoads(handoff.tenantId)).filter((rep) => rep.id !== options.exclude);
  const strategy = settings.teams[handoff.team]?.strategy ?? "round_robin";
  const rep = chooseRep(handoff.team, loads, strategy, settings.preferCrmOwner ? preferredRepId : null);
  if (!rep) {
    const queued = { ...handoff, status: "queued" as const, ownerId: null, queuedUntil: null };
    await tx.handoffs.save(queued, options.now);
    return queued;
  }
  return assignTo(tx, handoff, rep.id, options);
}

export async function assignTo(tx: StoreTx, handoff: Handoff, repId: string, options: { now: number; actor: string }): Promise<Handoff> {
  const moved = handoff.ownerId !== null && handoff.ownerId !== repId;
  const assigned: Handoff = {
    ...handoff,
    ownerId: repId,
    status: handoff.status === "answered" ? "answered" : "assigned",
    assignedAt: options.now,
    queuedUntil: null,
    reassignments: handoff.reassignments + (moved ? 1 : 0),
  };
  await tx.handoffs.save(assigned, options.now);
  const conversation = await tx.getConversation(handoff.tenantId, handoff.conversationId);
  if (conversation) await changeMode(tx, conversation, "human_assigned", { actor: options.actor, detail: `owner ${repId}`, now: options.now });
  await publishEvent(tx, handoff.tenantId, "handoff.assigned", { handoffId: handoff.id, conversationId: handoff.conversationId, ownerId: repId, team: handoff.team, priority: handoff.priority }, options.now);
  return assigned;
}

export async function requestHandoff(tx: StoreTx, request: HandoffRequest): Promise<{ handoff: Handoff; outOfHoursNotice: string | null }> {
  const { conversation, now } = request;
  const existing = await tx.handoffs.open(conversation.tenantId, conversation.id);
  if (existing) return { handoff: existing, outOfHoursNotice: null };
  const settings = await tx.handoffs.getSettings(conversation.tenantId);
  const routed = routeToTeam(
    {
      reason: request.reason,
      intent: request.summary.intent,
      language: request.summary.language,
      vip: request.contact?.vip ?? false,
      dealValue: request.contact?.dealValue ?? null,
      priority: request.priority,
      team: request.team,
    },
    settings.rules,
  );
  const hours = teamHours(settings, routed.team);
  const handoff: Handoff = {
    id: randomUUID(),
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    reason: request.reason,
    priority: routed.priority,
    team: routed.team,
    ownerId: null,
    status: "queued",
    summary: request.summary,
    requestedAt: now,
    assignedAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    outcome: null,
    queuedUntil: null,
    sla: startSla(slaPolicyOf(settings), routed.priority, hours, now),
    reassignments: 0,
  };
  await tx.handoffs.create(handoff);
  await changeMode(tx, conversation, "handoff_requested", { actor: request.actor, detail: request.reason, now });
  await publishEvent(
    tx,
    conversation.tenantId,
    "handoff.created",
    { handoffId: handoff.id, conversationId: conversation.id, reason: handoff.reason, priority: handoff.priority, team: handoff.team, summary: handoff.summary, customer: request.contact ? { name: request.contact.profileName, phone: request.contact.phoneE164 } : null },
    now,
  );
  const result = await routeHandoff(tx, handoff, settings, request.preferredRepId, { now, actor: "router" });
  await scheduleSlaChecks(tx, result, slaPolicyOf(settings), now);
  if (settings.stillWaitingMinutes !== null) {
    await tx.jobs.enqueue({ kind: jobKinds.stillWaiting, tenantId: conversation.tenantId, payload: { tenantId: conversation.tenantId, handoffId: handoff.id }, runAt: now + settings.stillWaitingMinutes * 60_000 });
  }
  const closed = result.queuedUntil !== null;
  return { handoff: result, outOfHoursNotice: closed ? (settings.teams[result.team]?.outOfHoursMessage ?? null) : null };
}

/** Capacity freed or a rep came back: give queued work (not waiting for opening hours) out, oldest first. */
export async function drainQueue(tx: StoreTx, tenantId: string, now: number): Promise<void> {
  const settings = await tx.handoffs.getSettings(tenantId);
  for (const queued of await tx.handoffs.list(tenantId, { statuses: ["queued"] })) {
    if (queued.queuedUntil !== null && queued.queuedUntil > now) continue;
    await routeHandoff(tx, { ...queued, queuedUntil: null }, settings, null, { now, actor: "router" });
  }
}

export async function loadOpenHandoff(tx: StoreTx, tenantId: string, conversationId: string): Promise<Handoff> {
  const handoff = await tx.handoffs.open(tenantId, conversationId);
  if (!handoff) throw new AppError("conflict", "This conversation has no open handoff.");
  return handoff;
}
