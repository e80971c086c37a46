/**
 * What an operator does with subscriptions: create one (its secret is returned this once), see each
 * delivery with its attempts, send a delivery again, send a ping. Every call names the tenant, and a
 * subscription of another tenant is "not found".
 */
import { randomUUID } from "node:crypto";
import type { CreateWebhookRequest, CreatedWebhook, OutgoingEventType, WebhookDeliveryView, WebhookSubscriptionView } from "@salesbot/shared";
import type { Clock } from "../../domain/ports/clock.js";
import type { Store } from "../../domain/ports/store.js";
import type { WebhookSubscription } from "../../domain/ports/webhooks.js";
import { newSigningSecret } from "../../security/webhook-signature.js";
import { queueDelivery, requeueJob } from "./outgoing-event.js";

export interface WebhookAdminDeps {
  store: Store;
  clock: Clock;
}

export function subscriptionView(s: WebhookSubscription): WebhookSubscriptionView {
  return { id: s.id, url: s.url, events: s.events as OutgoingEventType[] | null, active: s.active, description: s.description, createdAt: s.createdAt };
}

export async function createWebhook(deps: WebhookAdminDeps, tenantId: string, request: CreateWebhookRequest): Promise<CreatedWebhook> {
  const subscription: WebhookSubscription = {
    id: randomUUID(),
    tenantId,
    url: request.url,
    events: request.events === null ? null : [...new Set(request.events)],
    active: request.active,
    description: request.description,
    createdAt: deps.clock.now(),
  };
  const secret = newSigningSecret();
  await deps.store.webhooks.createSubscription(subscription, secret);
  return { ...subscriptionView(subscription), secret };
}

export async function listDeliveries(deps: WebhookAdminDeps, tenantId: string, subscriptionId: string, limit: number): Promise<WebhookDeliveryView[] | null> {
  if (!(await deps.store.webhooks.getSubscription(tenantId, subscriptionId))) return null;
  const deliveries = await deps.store.webhooks.listDeliveries(tenantId, subscriptionId, limit);
  const attempts = await deps.store.webhooks.listAttempts(tenantId, deliveries.map((d) => d.id));
  return deliveries.map((d) => ({
    id: d.id,
    subscriptionId: d.subscriptionId,
    eventId: d.eventId,
    eventType: d.eventType,
    state: d.state,
    attempts: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({ attempt: a.attempt, at: a.at, statusCode: a.statusCode, durationMs: a.durationMs, outcome: a.outcome, error: a.error, responseExcerpt: a.responseExcerpt, nextRetryAt: a.nextRetryAt })),
    nextRetryAt: d.nextRetryAt,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  }));
}

/** `busy`: the delivery still has attempts coming; a second round beside them would send it twice. */
export async function redeliver(deps: WebhookAdminDeps, tenantId: string, subscriptionId: string, deliveryId: string): Promise<"queued" | "not_found" | "busy"> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const delivery = await tx.webhooks.getDelivery(tenantId, deliveryId);
    if (!delivery || delivery.subscriptionId !== subscriptionId) return "not_found";
    if (!(await tx.webhooks.requeueDelivery(tenantId, deliveryId, now))) return "busy";
    await requeueJob(tx, tenantId, deliveryId, now);
    return "queued";
  });
}

/** A `ping` event for this subscription only, whatever types it asked for, so a receiver can be tested. */
export async function pingWebhook(deps: WebhookAdminDeps, tenantId: string, subscriptionId: string): Promise<{ eventId: string; deliveryId: string } | null> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const subscription = await tx.webhooks.getSubscription(tenantId, subscriptionId);
    if (!subscription) return null;
    const event = { id: randomUUID(), tenantId, type: "ping", data: { subscriptionId, message: "Webhook test from the WhatsApp sales agent." }, at: now };
    const deliveryId = await queueDelivery(tx, event, subscriptionId, now);
    return deliveryId === null ? null : { eventId: event.id, deliveryId };
  });
}
