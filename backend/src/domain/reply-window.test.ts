import { describe, expect, it } from "vitest";
import { CUSTOMER_SERVICE_WINDOW_MS, WINDOW_SAFETY_MARGIN_MS, customerServiceWindow, maySend } from "./reply-window.js";

const lastInbound = Date.UTC(2026, 10, 24, 9, 0, 0);

describe("the 24-hour customer service window", () => {
  it("is open right after the customer writes and closes 24 hours later, less a safety margin", () => {
    expect(customerServiceWindow(lastInbound, lastInbound + 1000).allowed).toBe(true);
    const edge = lastInbound + CUSTOMER_SERVICE_WINDOW_MS - WINDOW_SAFETY_MARGIN_MS;
    expect(customerServiceWindow(lastInbound, edge - 1).allowed).toBe(true);
    expect(customerServiceWindow(lastInbound, edge).allowed).toBe(false);
    expect(customerServiceWindow(lastInbound, edge).closesAt).toBe(lastInbound + CUSTOMER_SERVICE_WINDOW_MS);
  });

  it("is closed for a customer who never wrote", () => {
    expect(customerServiceWindow(null, lastInbound)).toEqual({ allowed: false, closesAt: null });
  });

  it("always allows templates and refuses everything else once closed", () => {
    const late = lastInbound + 2 * CUSTOMER_SERVICE_WINDOW_MS;
    expect(maySend("template", lastInbound, late).allowed).toBe(true);
    expect(maySend("template", null, late).allowed).toBe(true);
    for (const kind of ["text", "interactive", "media", "reaction"] as const) expect(maySend(kind, lastInbound, late).allowed).toBe(false);
  });
});
