import { describe, expect, it } from "vitest";
import { pairRateLimitDelayMs, retryDelayMs } from "./backoff.js";
import { classifySendFailure } from "./graph-error-policy.js";

describe("what to do with a Graph API send error", () => {
  it.each([
    [130429, 400, { kind: "retry", reason: "rate_limited" }],
    [80007, 400, { kind: "retry", reason: "rate_limited" }],
    [131056, 400, { kind: "retry", reason: "pair_rate_limited" }],
    [131047, 400, { kind: "window_closed" }],
    [190, 401, { kind: "token_invalid" }],
    [0, 401, { kind: "token_invalid" }],
    [131000, 500, { kind: "retry", reason: "temporary" }],
    [131057, 500, { kind: "retry", reason: "temporary" }],
    [131026, 400, { kind: "permanent", reason: "meta_131026" }],
    [132001, 404, { kind: "permanent", reason: "meta_132001" }],
    [undefined, 503, { kind: "retry", reason: "temporary" }],
    [undefined, 0, { kind: "retry", reason: "temporary" }],
    [undefined, 400, { kind: "permanent", reason: "http_400" }],
  ] as const)("code %s (HTTP %s)", (code, status, action) => {
    expect(classifySendFailure(code, status)).toEqual(action);
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter inside [ceiling/2, ceiling], capped", () => {
    expect(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000 }, () => 0)).toBe(500);
    expect(retryDelayMs(1, { baseMs: 1000, maxMs: 60_000 }, () => 1)).toBe(1000);
    expect(retryDelayMs(4, { baseMs: 1000, maxMs: 60_000 }, () => 1)).toBe(8000);
    expect(retryDelayMs(30, { baseMs: 1000, maxMs: 60_000 }, () => 1)).toBe(60_000);
  });

  it("waits 4^x seconds after a pair rate limit, as Meta advises", () => {
    expect([1, 2, 3, 4].map(pairRateLimitDelayMs)).toEqual([1000, 4000, 16_000, 64_000]);
  });
});
