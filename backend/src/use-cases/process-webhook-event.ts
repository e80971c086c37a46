/**
 * Fan-out: one stored webhook body becomes one job per item, routed to its tenant by
 * `phone_number_id` (a body of a single item is mostly handled here directly). Items for numbers
 * we do not serve and items we cannot parse are kept as channel events, not dropped. Customer
 * messages of one sender share a lane, so they are handled in order.
 */
import type { StoreTx } from "../domain/ports/store.js";
import { splitWebhook, type WebhookItem } from "../adapters/whatsapp/webhook-items.js";
import { jobKinds } from "../jobs/job-kinds.js";
import { handleInTransaction } from "./handle-webhook-item.js";
import type { UseCaseContext } from "./context.js";

function laneOf(item: WebhookItem): string | null {
  if (item.kind !== "message") return null;
  return `contact:${item.phoneNumberId}:${item.message.from ?? item.message.from_user_id ?? item.message.id}`;
}

async function keep(tx: StoreTx, item: WebhookItem, tenantId: string | null, at: number, kind: "unrouted" | "malformed" | "unknown_field"): Promise<void> {
  await tx.recordChannelEvent({
    tenantId,
    phoneNumberId: "phoneNumberId" in item ? item.phoneNumberId : null,
    kind,
    code: null,
    title: item.kind === "malformed" ? `${item.where}: ${item.problem}` : item.kind === "unknown_field" ? item.field : null,
    detail: item,
    at,
  });
}

type Outcome = { kind: "missing" } | { kind: "redelivery" } | { kind: "processed"; items: number };

export async function processWebhookEvent(ctx: UseCaseContext, eventId: number): Promise<void> {
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (tx): Promise<Outcome> => {
    // Meta redelivers a body it thinks we missed: the same bytes are processed once, here rather than
    // at the acknowledgement (items are idempotent anyway; this keeps channel events from doubling).
    const opened = await tx.openWebhookEvent(eventId, now);
    if (!opened) return { kind: "missing" };
    if (!opened.firstDelivery) {
      await tx.jobs.completeWithin(ctx.handoff);
      return { kind: "redelivery" };
    }
    const { items, envelopeProblem } = splitWebhook(JSON.parse(opened.event.body));
    if (envelopeProblem) {
      await tx.recordChannelEvent({ tenantId: null, phoneNumberId: null, kind: "malformed", code: null, title: envelopeProblem, detail: { eventId }, at: now });
      await tx.jobs.completeWithin(ctx.handoff);
      return { kind: "processed", items: 0 };
    }
    const tenants = new Map<string, string | null>();
    for (const item of items) {
      if (item.kind === "unknown_field") {
        await keep(tx, item, null, now, "unknown_field");
        continue;
      }
      const phoneNumberId = item.phoneNumberId;
      if (phoneNumberId === null) {
        await keep(tx, item, null, now, "malformed");
        continue;
      }
      if (!tenants.has(phoneNumberId)) tenants.set(phoneNumberId, (await tx.findWhatsAppNumber(phoneNumberId))?.tenantId ?? null);
      const tenantId = tenants.get(phoneNumberId) ?? null;
      if (tenantId === null) {
        await keep(tx, item, null, now, "unrouted");
        continue;
      }
      if (item.kind === "malformed") {
        await keep(tx, item, tenantId, now, "malformed");
        continue;
      }
      const lane = laneOf(item);
      // A lone item is handled here, saving a job and a transaction: a delivery status or error keeps no
      // order with anything, and a customer message goes first when nothing of its sender is queued or
      // running. Most webhooks hold one item (a status for each message we send, or a customer's message).
      if (items.length === 1 && (lane === null || (await tx.jobs.holdIdleLane(lane)))) {
        await handleInTransaction(ctx, tx, tenantId, item);
        continue;
      }
      await tx.jobs.enqueue({ kind: jobKinds.webhookItem, tenantId, lane, payload: { tenantId, item }, runAt: now }, ctx.handoff);
    }
    await tx.jobs.completeWithin(ctx.handoff);
    return { kind: "processed", items: items.length };
  });
  if (outcome.kind === "processed") ctx.metrics.webhookItems.inc(outcome.items);
  else if (outcome.kind === "redelivery") ctx.metrics.webhookRedeliveries.inc();
}
