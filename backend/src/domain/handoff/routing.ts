/**
 * Who gets a handoff. Tenant rules map reason, intent, language, VIP and deal value to a team and a
 * priority; the CRM owner of a known customer comes first; within a team a rep is picked by round
 * robin or least load, among available reps with capacity left. No one free means the queue.
 */
import type { HandoffReason, Intent, Language, Priority } from "@salesbot/shared";

export interface RoutingRule {
  when: { reasons?: HandoffReason[]; intents?: Intent[]; languages?: Language[]; vip?: boolean; minDealValue?: number };
  team: string;
  priority?: Priority;
}

export interface HandoffFacts {
  reason: HandoffReason;
  intent: Intent;
  language: Language;
  vip: boolean;
  dealValue: number | null;
  priority: Priority;
  team: string;
}

/** The first matching rule wins; without one, the agent's own choice stands. */
export function routeToTeam(facts: HandoffFacts, rules: readonly RoutingRule[]): { team: string; priority: Priority } {
  for (const rule of rules) {
    const w = rule.when;
    if (w.reasons && !w.reasons.includes(facts.reason)) continue;
    if (w.intents && !w.intents.includes(facts.intent)) continue;
    if (w.languages && !w.languages.includes(facts.language)) continue;
    if (w.vip !== undefined && w.vip !== facts.vip) continue;
    if (w.minDealValue !== undefined && (facts.dealValue ?? 0) < w.minDealValue) continue;
    return { team: rule.team, priority: rule.priority ?? facts.priority };
  }
  return { team: facts.team, priority: facts.priority };
}

export interface RepLoad {
  id: string;
  teams: readonly string[];
  capacity: number;
  available: boolean;
  /** Conversations the rep owns that are not resolved. */
  open: number;
  lastAssignedAt: number | null;
}

export type Strategy = "round_robin" | "least_loaded";

export function hasRoom(rep: RepLoad): boolean {
  return rep.available && rep.open < rep.capacity;
}

/**
 * Picks the rep: the preferred one (CRM owner, account manager) if they can take it, else by the
 * team's strategy. Round robin: whoever was assigned longest ago. Least loaded: the lowest share of
 * capacity in use. Ties go to the id, so the choice is deterministic.
 */
export function chooseRep(team: string, reps: readonly RepLoad[], strategy: Strategy, preferredId: string | null): RepLoad | null {
  const preferred = preferredId ? reps.find((r) => r.id === preferredId) : undefined;
  if (preferred && hasRoom(preferred)) return preferred;
  const candidates = reps.filter((r) => r.teams.includes(team) && hasRoom(r));
  if (candidates.length === 0) return null;
  const sorted = [...candidates].sort((a, b) => {
    const primary = strategy === "least_loaded" ? a.open / a.capacity - b.open / b.capacity : (a.lastAssignedAt ?? -1) - (b.lastAssignedAt ?? -1);
    if (primary !== 0) return primary;
    const secondary = strategy === "least_loaded" ? (a.lastAssignedAt ?? -1) - (b.lastAssignedAt ?? -1) : a.open - b.open;
    return secondary !== 0 ? secondary : a.id.localeCompare(b.id);
  });
  return sorted[0]!;
}
