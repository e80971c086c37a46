import { describe, expect, it } from "vitest";
import { advancesDelivery, deliveryStatuses, parseDeliveryStatus } from "./delivery-status.js";

describe("delivery status order", () => {
  it("moves forward through queued, accepted, sent, delivered, read, played", () => {
    const forward = ["queued", "accepted", "sent", "delivered", "read", "played"] as const;
    for (let i = 0; i < forward.length; i++) {
      for (let j = 0; j < forward.length; j++) expect(advancesDelivery(forward[i]!, forward[j]!)).toBe(j > i);
    }
  });

  it("lets failed win over every other state and keeps it", () => {
    for (const status of deliveryStatuses) {
      expect(advancesDelivery(status, "failed")).toBe(status !== "failed");
      expect(advancesDelivery("failed", status)).toBe(false);
    }
  });

  it("recognises Meta's statuses and nothing else", () => {
    expect(parseDeliveryStatus("read")).toBe("read");
    expect(parseDeliveryStatus("deleted")).toBeUndefined();
    expect(parseDeliveryStatus("READ")).toBeUndefined();
  });
});
