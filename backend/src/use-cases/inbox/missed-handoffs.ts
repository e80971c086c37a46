/**
 * The missed-handoff review: every handoff a customer was let down on — never answered, answered
 * after the first-response target, passed from rep to rep, or left waiting past the next-response
 * target — with the week, reason, team and rep to group by.
 */
import { z } from "zod";
import type { Handoff } from "../../domain/ports/handoffs.js";
import type { Store } from "../../domain/ports/store.js";

export const ZMissedHandoffRow = z.object({
  handoffId: z.string(),
  conversationId: z.string(),
  week: z.string().describe("ISO week of the handoff, like 2026-W48"),
  reason: z.string(),
  team: z.string(),
  ownerId: z.string().nullable(),
  priority: z.string(),
  misses: z.array(z.enum(["unanswered", "answered_late", "rerouted", "customer_waited"])),
  requestedAt: z.number(),
  firstResponseMinutes: z.number().nullable(),
});
export type MissedHandoffRow = z.infer<typeof ZMissedHandoffRow>;

export function isoWeek(at: number): string {
  const date = new Date(at);
  const day = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / 86_400_000 / 7 - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export function missesOf(h: Handoff, now: number): MissedHandoffRow["misses"] {
  const misses: MissedHandoffRow["misses"] = [];
  const closed = h.status === "resolved" || h.status === "returned_to_bot";
  const due = h.sla.firstResponse.dueAt;
  if (h.firstResponseAt === null && (closed || (due !== null && now >= due))) misses.push("unanswered");
  if (h.firstResponseAt !== null && h.sla.firstResponse.breachedAt !== null) misses.push("answered_late");
  if (h.reassignments > 0) misses.push("rerouted");
  if (h.sla.nextResponse.breachedAt !== null) misses.push("customer_waited");
  return misses;
}

export async function missedHandoffReport(store: Store, tenantId: string, range: { from?: number | undefined; to?: number | undefined; now: number }): Promise<MissedHandoffRow[]> {
  const handoffs = await store.handoffs.list(tenantId, {
    statuses: ["queued", "assigned", "answered", "resolved", "returned_to_bot"],
    ...(range.from !== undefined ? { from: range.from } : {}),
    ...(range.to !== undefined ? { to: range.to } : {}),
    limit: 10_000,
  });
  return handoffs.flatMap((h) => {
    const misses = missesOf(h, range.now);
    if (misses.length === 0) return [];
    return [
      {
        handoffId: h.id,
        conversationId: h.conversationId,
        week: isoWeek(h.requestedAt),
        reason: h.reason,
        team: h.team,
        ownerId: h.ownerId,
        priority: h.priority,
        misses,
        requestedAt: h.requestedAt,
        firstResponseMinutes: h.firstResponseAt === null ? null : Math.round((h.firstResponseAt - h.requestedAt) / 60_000),
      },
    ];
  });
}

const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : Array.isArray(value) ? value.join(";") : String(value);
  // Quote everything that could break a row, and defuse formulas for spreadsheet users.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function missedHandoffsCsv(rows: MissedHandoffRow[]): string {
  const header = ["week", "reason", "team", "rep", "priority", "misses", "handoff_id", "conversation_id", "requested_at", "first_response_minutes"];
  const lines = rows.map((r) => [r.week, r.reason, r.team, r.ownerId, r.priority, r.misses, r.handoffId, r.conversationId, new Date(r.requestedAt).toISOString(), r.firstResponseMinutes].map(cell).join(","));
  return [header.join(","), ...lines].join("\n") + "\n";
}
