/**
 * Service levels for handed-off conversations: first response, next response and resolution targets
 * per priority, counted in the team's business hours, with a warning before the deadline.
 */
import type { BusinessHours, Priority, SlaClock, SlaState } from "@salesbot/shared";
import { localTime } from "../agent/business-hours.js";

export interface SlaTargets {
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
}

export type SlaPolicy = Record<Priority, SlaTargets> & {
  /** Warn when this share of the time is used (0.8 = at 80 %). */
  warnAt: number;
  onBreach: { notifyLead: boolean; reassign: boolean };
};

export const defaultSlaPolicy: SlaPolicy = {
  urgent: { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 8 * 60 },
  normal: { firstResponseMinutes: 60, nextResponseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  low: { firstResponseMinutes: 4 * 60, nextResponseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  warnAt: 0.8,
  onBreach: { notifyLead: true, reassign: false },
};

const MINUTE = 60_000;
const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The next moment the team is open at or after `at` (or `at` itself when always open). */
export function nextOpening(hours: BusinessHours, at: number): number {
  if (hours.openings.length === 0) return at;
  let t = at;
  for (let step = 0; step < 8 * 24 * 60; step++) {
    const { day, minutes } = localTime(t, hours.timezone);
    if (hours.openings.some((o) => o.day === day && minutes >= toMinutes(o.from) && minutes < toMinutes(o.to))) return t;
    t = (Math.floor(t / MINUTE) + 1) * MINUTE;
  }
  return at;
}

/**
 * `at` plus `minutes` of open time: consumes whole open stretches at once and jumps over closed time,
 * reading local time from the zone at each step, so closing times and DST changes are exact.
 */
export function addBusinessMinutes(hours: BusinessHours, at: number, minutes: number): number {
  if (hours.openings.length === 0) return at + minutes * MINUTE;
  let t = nextOpening(hours, at);
  let left = minutes;
  for (let guard = 0; left > 0 && guard < 10_000; guard++) {
    const { day, minutes: m } = localTime(t, hours.timezone);
    const open = hours.openings.find((o) => o.day === day && m >= toMinutes(o.from) && m < toMinutes(o.to));
    if (!open) {
      t = nextOpening(hours, t);
      continue;
    }
    const stretch = Math.min(left, toMinutes(open.to) - m);
    t += stretch * MINUTE;
    left -= stretch;
    if (left > 0) t = nextOpening(hours, t);
  }
  return t;
}

const clock = (dueAt: number | null): SlaClock => ({ dueAt, metAt: null, warnedAt: null, breachedAt: null });

export function startSla(policy: SlaPolicy, priority: Priority, hours: BusinessHours, at: number): SlaState {
  const targets = policy[priority];
  return {
    status: "active",
    firstResponse: clock(addBusinessMinutes(hours, at, targets.firstResponseMinutes)),
    nextResponse: clock(null),
    resolution: clock(addBusinessMinutes(hours, at, targets.resolutionMinutes)),
  };
}

/** When to warn: `warnAt` of the way from `from` to `dueAt`. */
export function warningTime(policy: SlaPolicy, from: number, dueAt: number): number {
  return from + Math.floor((dueAt - from) * policy.warnAt);
}

function settle(c: SlaClock, at: number): SlaClock {
  return c.dueAt === null || c.metAt !== null || c.breachedAt !== null ? c : { ...c, metAt: at };
}

/** A rep answered: the first response (or the pending next response) is met; the next one starts when the customer writes again. */
export function recordRepReply(sla: SlaState, at: number): SlaState {
  const first = settle(sla.firstResponse, at);
  const next = settle(sla.nextResponse, at);
  return { ...sla, firstResponse: first, nextResponse: next, status: overall({ ...sla, firstResponse: first, nextResponse: next }) };
}

/** The customer wrote while a human owns the conversation: the next-response clock starts unless one is running. */
export function recordCustomerMessage(sla: SlaState, policy: SlaPolicy, priority: Priority, hours: BusinessHours, at: number): SlaState {
  if (sla.firstResponse.metAt === null && sla.firstResponse.breachedAt === null) return sla;
  const running = sla.nextResponse.dueAt !== null && sla.nextResponse.metAt === null && sla.nextResponse.breachedAt === null;
  if (running) return sla;
  return { ...sla, nextResponse: clock(addBusinessMinutes(hours, at, policy[priority].nextResponseMinutes)), status: "active" };
}

export function recordResolution(sla: SlaState, at: number): SlaState {
  const resolved = { ...sla, resolution: settle(sla.resolution, at), nextResponse: sla.nextResponse.metAt === null && sla.nextResponse.breachedAt === null ? clock(null) : sla.nextResponse };
  return { ...resolved, status: overall(resolved) };
}

export type SlaClockName = "firstResponse" | "nextResponse" | "resolution";

export function markBreached(sla: SlaState, name: SlaClockName, at: number): SlaState {
  const c = sla[name];
  if (c.dueAt === null || c.metAt !== null || c.breachedAt !== null || at < c.dueAt) return sla;
  const next = { ...sla, [name]: { ...c, breachedAt: at } };
  return { ...next, status: overall(next) };
}

export function markWarned(sla: SlaState, name: SlaClockName, at: number): SlaState {
  const c = sla[name];
  if (c.dueAt === null || c.metAt !== null || c.breachedAt !== null || c.warnedAt !== null) return sla;
  return { ...sla, [name]: { ...c, warnedAt: at } };
}

function overall(sla: SlaState): SlaState["status"] {
  const clocks = [sla.firstResponse, sla.nextResponse, sla.resolution];
  if (clocks.some((c) => c.breachedAt !== null)) return "missed";
  if (clocks.every((c) => c.dueAt === null || c.metAt !== null)) return "met";
  return "active";
}
