/**
 * Job kind → use case. Each handler parses its payload and turns the use case's outcome into a job
 * result; the runner does the bookkeeping.
 */
import { ZWebhookItem } from "../adapters/whatsapp/webhook-items.js";
import { downloadMedia } from "../use-cases/download-media.js";
import type { UseCaseContext } from "../use-cases/context.js";
import { handleWebhookItem } from "../use-cases/handle-webhook-item.js";
import { processWebhookEvent } from "../use-cases/process-webhook-event.js";
import { replyToConversation } from "../use-cases/reply-to-conversation.js";
import { sendOutbound } from "../use-cases/send-outbound.js";
import { checkSla, routeQueued, sendStillWaiting } from "../use-cases/handoff/timers.js";
import { sendFollowUp } from "../use-cases/inbox/follow-ups.js";
import { pruneRawEvents } from "../use-cases/maintenance.js";
import { returnIdleToBot } from "../use-cases/handoff/rep-actions.js";
import { scheduleTemplateSync, syncTemplates, TEMPLATE_SYNC_EVERY_MS } from "../use-cases/inbox/templates.js";
import { deliverWebhook } from "../use-cases/webhooks/deliver-webhook.js";
import { fanOutEvent } from "../use-cases/webhooks/fan-out-event.js";
import {
  jobKinds,
  ZConversationReplyPayload,
  ZEventPayload,
  ZFollowUpPayload,
  ZPrunePayload,
  ZIdleCheckPayload,
  ZTemplatesSyncPayload,
  ZHandoffJobPayload,
  ZMediaPayload,
  ZSendPayload,
  ZSlaCheckPayload,
  ZWebhookDeliverPayload,
  ZWebhookItemPayload,
  ZWebhookProcessPayload,
} from "./job-kinds.js";
import type { JobHandler, JobResult } from "./job-runner.js";

const done: JobResult = { kind: "done" };

export function createJobHandlers(ctx: UseCaseContext): Record<string, JobHandler> {
  // The three steps from a stored webhook to a queued reply hand their follow-up job to the worker
  // that runs them (JobHandoff): a customer message then goes webhook → reply without queue round trips.
  return {
    [jobKinds.webhookProcess]: async (job, handoff) => {
      const payload = ZWebhookProcessPayload.parse(job.payload);
      await processWebhookEvent({ ...ctx, handoff }, payload.eventId);
      return done;
    },
    [jobKinds.webhookItem]: async (job, handoff) => {
      const payload = ZWebhookItemPayload.parse(job.payload);
      const item = ZWebhookItem.safeParse(payload.item);
      if (!item.success) return { kind: "dead", reason: `unreadable item: ${item.error.message.slice(0, 300)}` };
      await handleWebhookItem({ ...ctx, handoff }, payload.tenantId, item.data);
      return done;
    },
    [jobKinds.conversationReply]: async (job, handoff) => {
      const payload = ZConversationReplyPayload.parse(job.payload);
      await replyToConversation({ ...ctx, handoff }, payload.tenantId, payload.conversationId, handoff.carried);
      return done;
    },
    [jobKinds.send]: async (job, handoff) => {
      const payload = ZSendPayload.parse(job.payload);
      const outcome = await sendOutbound(ctx, payload.tenantId, payload.seq, job.attempts, handoff.carried);
      switch (outcome.kind) {
        case "sent":
        case "skipped":
        case "failed":
          return done;
        case "retry":
          return { kind: "retry", at: outcome.at, reason: outcome.reason };
        case "postponed":
          return { kind: "postpone", until: outcome.until };
        default:
          return outcome satisfies never;
      }
    },
    [jobKinds.slaCheck]: async (job) => {
      await checkSla(ctx, ZSlaCheckPayload.parse(job.payload));
      return done;
    },
    [jobKinds.templatesSync]: async (job) => {
      const payload = ZTemplatesSyncPayload.parse(job.payload);
      await syncTemplates(ctx, payload.tenantId, payload.phoneNumberId);
      await ctx.store.transaction((tx) => scheduleTemplateSync(tx, payload.tenantId, payload.phoneNumberId, ctx.clock.now() + TEMPLATE_SYNC_EVERY_MS));
      return done;
    },
    [jobKinds.idleCheck]: async (job) => {
      const payload = ZIdleCheckPayload.parse(job.payload);
      await returnIdleToBot(ctx, payload.tenantId, payload.conversationId, payload.lastActivityAt);
      return done;
    },
    [jobKinds.prune]: async (job) => {
      await pruneRawEvents(ctx, ZPrunePayload.parse(job.payload).retentionDays);
      return done;
    },
    [jobKinds.followUp]: async (job) => {
      const payload = ZFollowUpPayload.parse(job.payload);
      await sendFollowUp(ctx, payload.tenantId, payload.followUpId);
      return done;
    },
    [jobKinds.routeHandoff]: async (job) => {
      const payload = ZHandoffJobPayload.parse(job.payload);
      await routeQueued(ctx, payload.tenantId, payload.handoffId);
      return done;
    },
    [jobKinds.stillWaiting]: async (job) => {
      const payload = ZHandoffJobPayload.parse(job.payload);
      await sendStillWaiting(ctx, payload.tenantId, payload.handoffId);
      return done;
    },
    [jobKinds.media]: async (job) => {
      const payload = ZMediaPayload.parse(job.payload);
      const outcome = await downloadMedia(ctx, payload);
      return outcome === "no_token" ? { kind: "postpone", until: ctx.clock.now() + 60_000 } : done;
    },
    [jobKinds.event]: async (job) => {
      const payload = ZEventPayload.parse(job.payload);
      await fanOutEvent(ctx, { ...payload, id: payload.id ?? `job-${job.id}` });
      return done;
    },
    [jobKinds.webhookDeliver]: async (job) => {
      const outcome = await deliverWebhook(ctx, ZWebhookDeliverPayload.parse(job.payload), job);
      switch (outcome.kind) {
        case "done":
          return done;
        case "retry":
          return outcome;
        case "failed":
          return { kind: "dead", reason: outcome.reason };
        default:
          return outcome satisfies never;
      }
    },
  };
}
