import { describe, expect, it } from "vitest";
import { judgeAttempt, MAX_RETRY_AFTER_MS, retryAfterMs, wantsEvent } from "./delivery-policy.js";

describe("webhook delivery policy", () => {
  it("retries what may pass (no answer, 408, 429, 5xx) and gives up on what will not (other 4xx, 3xx)", () => {
    expect([200, 201, 202, 204, 299].map(judgeAttempt)).toEqual(Array(5).fill("delivered"));
    expect([null, 408, 429, 500, 502, 503, 504].map(judgeAttempt)).toEqual(Array(7).fill("retry"));
    expect([301, 302, 307, 400, 401, 403, 404, 410, 413, 422].map(judgeAttempt)).toEqual(Array(10).fill("failed"));
  });

  it("reads Retry-After as seconds or an HTTP date, on 429 and 503 only, capped", () => {
    const now = Date.UTC(2026, 0, 5, 12, 0, 0);
    expect(retryAfterMs(429, "120", now)).toBe(120_000);
    expect(retryAfterMs(503, " 7 ", now)).toBe(7_000);
    expect(retryAfterMs(503, "Mon, 05 Jan 2026 12:02:30 GMT", now)).toBe(150_000);
    expect(retryAfterMs(429, "Mon, 05 Jan 2026 11:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs(429, "999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(429, "soon", now)).toBeNull();
    expect(retryAfterMs(429, "-5", now)).toBeNull();
    expect(retryAfterMs(429, null, now)).toBeNull();
    expect(retryAfterMs(500, "120", now)).toBeNull();
    expect(retryAfterMs(null, "120", now)).toBeNull();
  });

  it("matches every type for a subscription without a filter, and only listed types otherwise", () => {
    expect(wantsEvent(null, "sla.breached")).toBe(true);
    expect(wantsEvent(["sla.breached"], "sla.breached")).toBe(true);
    expect(wantsEvent(["sla.breached"], "sla.warning")).toBe(false);
    expect(wantsEvent([], "sla.warning")).toBe(false);
  });
});
