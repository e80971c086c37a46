/**
 * One published event becomes one delivery per active subscription that wants its type, in the
 * transaction that caused the event: the deliveries exist exactly when the change was committed, and
 * a tenant with no subscriptions pays one read per transaction, not a job per event. Running it
 * twice adds nothing: deliveries are unique per (subscription, event).
 */
import type { StoreTx } from "../../domain/ports/store.js";
import type { WebhookSubscription } from "../../domain/ports/webhooks.js";
import { wantsEvent } from "../../domain/webhooks/delivery-policy.js";
import type { UseCaseContext } from "../context.js";
import { queueDelivery, type EventRecord } from "./outgoing-event.js";

/** A transaction that publishes several events reads the tenant's subscriptions once. */
const subscriptionsRead = new WeakMap<StoreTx, Map<string, Promise<WebhookSubscription[]>>>();

function subscriptionsOf(tx: StoreTx, tenantId: string): Promise<WebhookSubscription[]> {
  let byTenant = subscriptionsRead.get(tx);
  if (!byTenant) subscriptionsRead.set(tx, (byTenant = new Map()));
  let read = byTenant.get(tenantId);
  if (!read) byTenant.set(tenantId, (read = tx.webhooks.listSubscriptions(tenantId)));
  return read;
}

export async function queueEventDeliveries(tx: StoreTx, event: EventRecord, now: number): Promise<number> {
  let queued = 0;
  for (const subscription of await subscriptionsOf(tx, event.tenantId)) {
    if (!subscription.active || !wantsEvent(subscription.events, event.type)) continue;
    if (await queueDelivery(tx, event, subscription.id, now)) queued++;
  }
  return queued;
}

/** For event jobs queued before events were fanned out in their own transaction. */
export async function fanOutEvent(ctx: Pick<UseCaseContext, "store" | "clock">, event: EventRecord): Promise<number> {
  const now = ctx.clock.now();
  return ctx.store.transaction((tx) => queueEventDeliveries(tx, event, now));
}
