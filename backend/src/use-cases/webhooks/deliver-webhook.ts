/**
 * One attempt at one delivery: sign, POST, judge the answer, log the attempt. Retries are the job
 * runner's: this returns when the next attempt is due, or that there will be none.
 */
import { retryDelayMs } from "../../domain/backoff.js";
import type { WebhookResponse } from "../../domain/ports/webhooks.js";
import { judgeAttempt, retryAfterMs, webhookBackoff, type AttemptOutcome } from "../../domain/webhooks/delivery-policy.js";
import { signWebhook } from "../../security/webhook-signature.js";
import type { UseCaseContext } from "../context.js";

export type DeliveryOutcome = { kind: "done" } | { kind: "retry"; at: number; reason: string } | { kind: "failed"; reason: string };

function problem(response: WebhookResponse): string | null {
  if (response.kind === "unreachable" || response.kind === "refused") return response.error;
  return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
}

export async function deliverWebhook(
  ctx: UseCaseContext,
  target: { tenantId: string; deliveryId: string },
  job: { attempts: number; maxAttempts: number },
): Promise<DeliveryOutcome> {
  const { store, clock, logger, metrics } = ctx;
  const delivery = await store.webhooks.getDelivery(target.tenantId, target.deliveryId);
  // Gone with its subscription, or settled by an earlier run of this job.
  if (!delivery || delivery.state !== "pending") return { kind: "done" };
  const subscription = await store.webhooks.getSubscription(delivery.tenantId, delivery.subscriptionId);
  const secret = subscription ? await store.webhooks.signingSecret(delivery.tenantId, subscription.id) : null;
  if (!subscription || secret === null) return { kind: "done" };

  const attempt = delivery.attempts + 1;
  const timestamp = Math.floor(clock.now() / 1000);
  const response = await ctx.webhookSender.post({
    url: subscription.url,
    headers: {
      "content-type": "application/json",
      "user-agent": "salesbot-webhooks/1",
      "x-salesbot-event": delivery.eventType,
      "x-salesbot-delivery": delivery.id,
      "x-salesbot-timestamp": String(timestamp),
      "x-salesbot-signature": signWebhook(secret, timestamp, delivery.body),
    },
    body: delivery.body,
  });
  const now = clock.now();
  const status = response.kind === "answered" ? response.status : null;
  const judged = response.kind === "refused" ? "failed" : judgeAttempt(status);
  const lastAttempt = job.attempts >= job.maxAttempts;
  const outcome: AttemptOutcome = judged === "retry" && lastAttempt ? "failed" : judged;
  const nextRetryAt = outcome === "retry" ? now + (retryAfterMs(status, response.kind === "answered" ? response.retryAfter : null, now) ?? retryDelayMs(job.attempts, webhookBackoff)) : null;
  const error = problem(response);
  const logged = await store.webhooks.recordAttempt(
    {
      tenantId: delivery.tenantId,
      deliveryId: delivery.id,
      attempt,
      at: now,
      statusCode: status,
      durationMs: response.durationMs,
      outcome,
      error: judged === "retry" && lastAttempt ? `${error}; no attempts left` : error,
      responseExcerpt: response.kind === "answered" && response.excerpt !== "" ? response.excerpt : null,
      nextRetryAt,
    },
    outcome === "delivered" ? "delivered" : outcome === "failed" ? "failed" : "pending",
  );
  metrics.webhookDeliveries.inc({ outcome });
  const fields = { tenantId: delivery.tenantId, subscriptionId: subscription.id, deliveryId: delivery.id, eventType: delivery.eventType, attempt, status, error };
  if (!logged) return { kind: "done" };
  switch (outcome) {
    case "delivered":
      logger.info(fields, "webhook delivered");
      return { kind: "done" };
    case "retry":
      logger.warn({ ...fields, nextRetryAt }, "webhook attempt failed; will retry");
      return { kind: "retry", at: nextRetryAt!, reason: `webhook delivery ${delivery.id}: ${error}` };
    case "failed":
      logger.warn(fields, "webhook delivery failed for good");
      return { kind: "failed", reason: `webhook delivery ${delivery.id}: ${error}` };
    default:
      return outcome satisfies never;
  }
}
