/**
 * One published event becomes one delivery per active subscription that wants its type, all in one
 * transaction. Running it twice (the job is at-least-once) adds nothing: deliveries are unique per
 * (subscription, event).
 */
import { wantsEvent } from "../../domain/webhooks/delivery-policy.js";
import type { UseCaseContext } from "../context.js";
import { queueDelivery, type EventRecord } from "./outgoing-event.js";

export async function fanOutEvent(ctx: Pick<UseCaseContext, "store" | "clock">, event: EventRecord): Promise<number> {
  const now = ctx.clock.now();
  return ctx.store.transaction(async (tx) => {
    const subscriptions = await tx.webhooks.listSubscriptions(event.tenantId);
    let queued = 0;
    for (const subscription of subscriptions) {
      if (!subscription.active || !wantsEvent(subscription.events, event.type)) continue;
      if (await queueDelivery(tx, event, subscription.id, now)) queued++;
    }
    return queued;
  });
}
