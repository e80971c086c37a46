/**
 * Housekeeping that keeps personal data no longer than needed: raw webhook bodies are the full
 * payloads Meta sent (names, numbers, message text), and finished outgoing deliveries carry customer
 * details too; once processed, the records built from them are what the product uses, so the bodies
 * go after the retention period.
 */
import type { StoreTx } from "../domain/ports/store.js";
import { jobKinds } from "../jobs/job-kinds.js";
import type { UseCaseContext } from "./context.js";

const DAY_MS = 24 * 60 * 60_000;

export async function schedulePrune(tx: StoreTx, retentionDays: number, at: number): Promise<void> {
  await tx.jobs.enqueue({ kind: jobKinds.prune, dedupKey: "maintenance:prune", payload: { retentionDays }, runAt: at, maxAttempts: 3 });
}

export async function pruneRawEvents(ctx: UseCaseContext, retentionDays: number): Promise<number> {
  const before = ctx.clock.now() - retentionDays * DAY_MS;
  const deleted = await ctx.store.pruneWebhookEvents(before);
  const deliveries = await ctx.store.pruneWebhookDeliveries(before);
  if (deleted + deliveries > 0) ctx.logger.info({ deleted, deliveries, retentionDays }, "webhook bodies past retention deleted");
  await ctx.store.transaction((tx) => schedulePrune(tx, retentionDays, ctx.clock.now() + DAY_MS));
  return deleted;
}
