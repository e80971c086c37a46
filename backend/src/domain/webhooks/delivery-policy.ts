/**
 * How an outgoing webhook attempt is judged and when the next one runs. A receiver that is down or
 * overloaded gets time to recover; one that refuses the request (a 4xx) would refuse it again.
 */
import type { BackoffPolicy } from "../backoff.js";

export type AttemptOutcome = "delivered" | "retry" | "failed";

/** Eight attempts spread over one to two hours (with jitter), so a receiver's restart, deploy or short outage is survived. */
export const webhookBackoff: BackoffPolicy = { baseMs: 60_000, maxMs: 60 * 60_000 };
export const WEBHOOK_MAX_ATTEMPTS = 8;
/** A receiver's Retry-After is honoured up to this; beyond it the delivery would look lost. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** `status` null: no HTTP answer at all (timeout, refused connection, DNS failure). */
export function judgeAttempt(status: number | null): AttemptOutcome {
  if (status === null) return "retry";
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  // 3xx too: redirects are not followed, since a signed body must reach the URL it was signed for.
  return "failed";
}

/** Retry-After as seconds or an HTTP date, read only where the standard gives it that meaning. */
export function retryAfterMs(status: number | null, header: string | null, now: number): number | null {
  if ((status !== 429 && status !== 503) || !header) return null;
  const value = header.trim();
  let delay: number;
  if (/^\d+$/.test(value)) delay = Number(value) * 1000;
  else {
    // An HTTP date names its day and month; without letters, Date.parse reads "-5" as the year 5 BC.
    if (!/[A-Za-z]/.test(value)) return null;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    delay = at - now;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, delay));
}

/** `events` null: the subscription wants every type. */
export function wantsEvent(events: readonly string[] | null, type: string): boolean {
  return events === null || events.includes(type);
}
