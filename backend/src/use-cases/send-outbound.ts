/**
 * Delivers one stored business message to the Graph API and acts on Meta's answer: accepted (record the
 * wamid), rate limited (back off and retry), window closed (fail the message, a template is needed),
 * token invalid (pause the number and alert a person), anything else permanent (fail the message).
 */
import { ZSendMessageRequest } from "@salesbot/shared";
import { pairRateLimitDelayMs, retryDelayMs } from "../domain/backoff.js";
import { classifySendFailure } from "../domain/graph-error-policy.js";
import { maySend } from "../domain/reply-window.js";
import type { Contact, Conversation, Message, MessageForSending } from "../domain/ports/store.js";
import { WhatsAppSendError } from "../domain/ports/whatsapp.js";
import type { UseCaseContext } from "./context.js";
import { outboundKind } from "./queue-outbound.js";

export type SendOutcome =
  | { kind: "sent"; wamid: string }
  | { kind: "skipped" }
  | { kind: "failed"; reason: string }
  | { kind: "retry"; at: number; reason: string }
  | { kind: "postponed"; until: number; reason: string };

const PAUSED_RECHECK_MS = 5 * 60_000;

/** What the job that queued a message and handed its send over leaves for it: the message as committed, and what to wait for first. */
interface SendCarry extends MessageForSending {
  carries: "message";
  /** The send must not reach Meta before this settles (the typing indicator it would overtake). */
  notBefore: Promise<void>;
}

export function carryToSend(queued: { message: Message; conversation: Conversation; contact: Contact | null; notBefore: Promise<void> }): SendCarry {
  return { carries: "message", ...queued };
}

function isSendCarry(value: unknown, tenantId: string, seq: number): value is SendCarry {
  if (typeof value !== "object" || value === null || (value as SendCarry).carries !== "message") return false;
  const { message } = value as SendCarry;
  return message.tenantId === tenantId && message.seq === seq;
}

/**
 * `carried`: what the job that handed this send over left for it (`JobHandoff.carried`). The message it
 * queued in the transaction that just committed is still queued: only this job sends it, and nothing
 * else changes a queued message, so it is not read again.
 */
export async function sendOutbound(ctx: UseCaseContext, tenantId: string, seq: number, attempt: number, carried?: unknown): Promise<SendOutcome> {
  const handedOver = isSendCarry(carried, tenantId, seq) ? carried : null;
  const found = handedOver ?? (await ctx.store.getMessageForSending(tenantId, seq));
  if (!found) return { kind: "skipped" };
  if (handedOver) await handedOver.notBefore;
  const { message, conversation, contact } = found;
  if (message.direction !== "outbound" || message.status !== "queued" || !conversation) return { kind: "skipped" };
  const now = ctx.clock.now();
  const fail = async (reason: string, details: Record<string, unknown>): Promise<SendOutcome> => {
    await ctx.store.markOutboundFailed(tenantId, seq, [{ reason, ...details }], now);
    ctx.metrics.outboundMessages.inc({ outcome: "failed" });
    return { kind: "failed", reason };
  };

  const number = await ctx.store.findWhatsAppNumber(conversation.phoneNumberId);
  if (!number || number.tenantId !== tenantId) return fail("no_number", { message: "The WhatsApp number of this conversation is not connected." });
  if (!contact) return fail("no_contact", {});
  const parsed = ZSendMessageRequest.safeParse({
    ...(typeof message.payload === "object" ? message.payload : {}),
    messaging_product: "whatsapp",
    recipient_type: "individual",
    // Meta: a customer known only by a business-scoped user id is addressed with `recipient`.
    ...(contact.waId ? { to: contact.waId } : { recipient: contact.userId }),
    biz_opaque_callback_data: String(seq),
  });
  if (!parsed.success) return fail("invalid_message", { message: parsed.error.issues[0]?.message ?? "invalid" });
  const request = parsed.data;
  if (!maySend(outboundKind(request), conversation.lastInboundAt, now).allowed) {
    return fail("window_closed", { message: "More than 24 hours since the customer's last message; send a template." });
  }
  if (!number.accessToken) return { kind: "postponed", until: now + PAUSED_RECHECK_MS, reason: "no_token" };
  if (number.sendingPausedReason) return { kind: "postponed", until: now + PAUSED_RECHECK_MS, reason: number.sendingPausedReason };

  try {
    const { wamid } = await ctx.whatsapp.sendMessage({ phoneNumberId: number.phoneNumberId, accessToken: number.accessToken }, request);
    await ctx.store.markOutboundAccepted(tenantId, seq, wamid, ctx.clock.now());
    ctx.metrics.outboundMessages.inc({ outcome: "accepted" });
    ctx.metrics.replyLatency.observe((ctx.clock.now() - message.createdAt) / 1000);
    return { kind: "sent", wamid };
  } catch (error) {
    if (!(error instanceof WhatsAppSendError)) throw error;
    ctx.metrics.graphErrors.inc({ code: String(error.code ?? error.httpStatus) });
    const action = classifySendFailure(error.code, error.httpStatus);
    switch (action.kind) {
      case "retry": {
        const delay = action.reason === "pair_rate_limited" ? pairRateLimitDelayMs(attempt) : retryDelayMs(attempt);
        return { kind: "retry", at: now + delay, reason: `${action.reason}: ${error.message}` };
      }
      case "window_closed":
        return fail("window_closed", { code: error.code, details: error.details });
      case "token_invalid":
        await ctx.store.setSendingPaused(tenantId, number.phoneNumberId, "token_invalid");
        await ctx.store.raiseAlert({
          tenantId,
          kind: "whatsapp_token_invalid",
          message: `Meta refused the access token of number ${number.phoneNumberId} (code ${String(error.code)}). Sending is paused until a new token is connected.`,
          at: now,
        });
        ctx.logger.error({ tenantId, phoneNumberId: number.phoneNumberId, code: error.code }, "WhatsApp access token refused; sending paused");
        return { kind: "postponed", until: now + PAUSED_RECHECK_MS, reason: "token_invalid" };
      case "permanent":
        return fail(action.reason, { code: error.code, details: error.details });
      default:
        return action satisfies never;
    }
  }
}
