/**
 * Events other systems can react to (n8n, Make, the CRM sync). Published inside the transaction that
 * caused them, as a job: an event exists exactly when its change was committed.
 */
import { randomUUID } from "node:crypto";
import { outgoingEventTypes, type OutgoingEventType } from "@salesbot/shared";
import type { StoreTx } from "../../domain/ports/store.js";
import { jobKinds } from "../../jobs/job-kinds.js";

export const eventTypes = outgoingEventTypes;
export type EventType = OutgoingEventType;

export async function publishEvent(tx: StoreTx, tenantId: string, type: EventType, data: Record<string, unknown>, now: number): Promise<void> {
  // The id is fixed here, not when the job runs: a job that runs twice publishes the same event, and receivers dedupe on it.
  await tx.jobs.enqueue({ kind: jobKinds.event, tenantId, payload: { id: randomUUID(), tenantId, type, data, at: now }, runAt: now, maxAttempts: 3 });
}
