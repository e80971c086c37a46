/**
 * Retry delays: exponential with full jitter, capped. `random` is injected so tests are exact.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, maxMs: 15 * 60_000 };

export function retryDelayMs(attempt: number, policy: BackoffPolicy = defaultBackoff, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Meta's advice for the pair rate limit (131056): wait 4^x seconds. */
export function pairRateLimitDelayMs(attempt: number): number {
  return Math.min(15 * 60_000, 4 ** Math.max(0, attempt - 1) * 1_000);
}
