/**
 * An event as it leaves us: one JSON body per event, built once and stored with each delivery, so
 * every attempt and every redelivery sends (and signs) the same bytes.
 */
import { randomUUID } from "node:crypto";
import type { OutgoingEvent } from "@salesbot/shared";
import type { StoreTx } from "../../domain/ports/store.js";
import { WEBHOOK_MAX_ATTEMPTS } from "../../domain/webhooks/delivery-policy.js";
import { jobKinds } from "../../jobs/job-kinds.js";

export interface EventRecord {
  id: string;
  tenantId: string;
  type: OutgoingEvent["type"] | (string & {});
  data: Record<string, unknown>;
  at: number;
}

export function eventBody(event: EventRecord): string {
  return JSON.stringify({ id: event.id, type: event.type, tenantId: event.tenantId, occurredAt: new Date(event.at).toISOString(), data: event.data });
}

/** Creates the delivery and queues its first attempt; false when the event already went to this subscription. */
export async function queueDelivery(tx: StoreTx, event: EventRecord, subscriptionId: string, now: number): Promise<string | null> {
  const deliveryId = randomUUID();
  const created = await tx.webhooks.createDelivery({ id: deliveryId, tenantId: event.tenantId, subscriptionId, eventId: event.id, eventType: event.type, body: eventBody(event), createdAt: now });
  if (!created) return null;
  await requeueJob(tx, event.tenantId, deliveryId, now);
  return deliveryId;
}

export async function requeueJob(tx: StoreTx, tenantId: string, deliveryId: string, now: number): Promise<void> {
  await tx.jobs.enqueue({ kind: jobKinds.webhookDeliver, tenantId, payload: { tenantId, deliveryId }, runAt: now, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
}
