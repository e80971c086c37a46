/**
 * Events other systems can react to (n8n, Make, the CRM sync). Published inside the transaction that
 * caused them, as a job: an event exists exactly when its change was committed.
 */
import type { StoreTx } from "../../domain/ports/store.js";
import { jobKinds } from "../../jobs/job-kinds.js";

export const eventTypes = [
  "handoff.created",
  "handoff.assigned",
  "sla.warning",
  "sla.breached",
  "conversation.resolved",
  "conversation.returned_to_bot",
] as const;
export type EventType = (typeof eventTypes)[number];

export async function publishEvent(tx: StoreTx, tenantId: string, type: EventType, data: Record<string, unknown>, now: number): Promise<void> {
  await tx.jobs.enqueue({ kind: jobKinds.event, tenantId, payload: { tenantId, type, data, at: now }, runAt: now, maxAttempts: 3 });
}
