/**
 * Events other systems can react to (n8n, Make, the CRM sync). Published inside the transaction that
 * caused them: each subscribed endpoint gets a delivery exactly when the change was committed.
 */
import { randomUUID } from "node:crypto";
import { outgoingEventTypes, type OutgoingEventType } from "@salesbot/shared";
import type { StoreTx } from "../../domain/ports/store.js";
import { queueEventDeliveries } from "../webhooks/fan-out-event.js";

export const eventTypes = outgoingEventTypes;
export type EventType = OutgoingEventType;

export async function publishEvent(tx: StoreTx, tenantId: string, type: EventType, data: Record<string, unknown>, now: number): Promise<void> {
  // The id is fixed once, here: receivers dedupe redeliveries on it.
  await queueEventDeliveries(tx, { id: randomUUID(), tenantId, type, data, at: now }, now);
}
