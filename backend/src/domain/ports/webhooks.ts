/**
 * Outgoing webhooks: tenants' subscriptions, one delivery per (event, subscription), and the log of
 * every attempt. Signing secrets are write-only here apart from `signingSecret`, which only the
 * delivery use case calls: listing a subscription can never leak one.
 */
import type { AttemptOutcome } from "../webhooks/delivery-policy.js";

export interface WebhookSubscription {
  id: string;
  tenantId: string;
  url: string;
  /** null: every event type. */
  events: string[] | null;
  active: boolean;
  description: string | null;
  createdAt: number;
}

export type DeliveryState = "pending" | "delivered" | "failed";

export interface NewWebhookDelivery {
  id: string;
  tenantId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** The exact bytes sent on every attempt, so a retry or redelivery carries the same signed body. */
  body: string;
  createdAt: number;
}

export interface WebhookDelivery extends NewWebhookDelivery {
  state: DeliveryState;
  attempts: number;
  nextRetryAt: number | null;
  deliveredAt: number | null;
  updatedAt: number;
}

export interface DeliveryAttempt {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  at: number;
  statusCode: number | null;
  durationMs: number;
  outcome: AttemptOutcome;
  error: string | null;
  responseExcerpt: string | null;
  nextRetryAt: number | null;
}

export interface WebhookRepository {
  createSubscription(subscription: WebhookSubscription, secret: string): Promise<void>;
  listSubscriptions(tenantId: string): Promise<WebhookSubscription[]>;
  getSubscription(tenantId: string, id: string): Promise<WebhookSubscription | null>;
  signingSecret(tenantId: string, id: string): Promise<string | null>;
  /** Removes the subscription with its deliveries and their log. */
  deleteSubscription(tenantId: string, id: string): Promise<boolean>;

  /** Idempotent on (subscription, event): false when the event already has a delivery there. */
  createDelivery(delivery: NewWebhookDelivery): Promise<boolean>;
  getDelivery(tenantId: string, id: string): Promise<WebhookDelivery | null>;
  /** Newest first. */
  listDeliveries(tenantId: string, subscriptionId: string, limit: number): Promise<WebhookDelivery[]>;
  /** Appends to the log and moves the delivery to `state`; false when the delivery is gone. */
  recordAttempt(attempt: DeliveryAttempt, state: DeliveryState): Promise<boolean>;
  listAttempts(tenantId: string, deliveryIds: readonly string[]): Promise<DeliveryAttempt[]>;
  /** Back to pending for another round of attempts; false unless it was delivered or failed. */
  requeueDelivery(tenantId: string, id: string, now: number): Promise<boolean>;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookResponse =
  | { kind: "answered"; status: number; retryAfter: string | null; excerpt: string; durationMs: number }
  | { kind: "unreachable"; error: string; durationMs: number }
  /** Not sent at all: the destination is not allowed (a private address). Retrying would not help. */
  | { kind: "refused"; error: string; durationMs: number };

/** Sends one signed request. Never throws: every failure is an answer the policy can judge. */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
