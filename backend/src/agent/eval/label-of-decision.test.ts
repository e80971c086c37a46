import { describe, expect, it } from "vitest";
import { intents, type Intent } from "@salesbot/shared";
import { labelOfDecision } from "./label-of-decision.js";

describe("label of a decision", () => {
  it("maps every intent to its evaluation label", () => {
    const expected: Record<Intent, string> = {
      human_request: "human_request",
      complaint: "complaint",
      sensitive_data: "payment_or_identity",
      pricing: "pricing_or_contract",
      contract: "pricing_or_contract",
      purchase_intent: "purchase_intent",
      faq: "faq",
      greeting: "other",
      appointment: "other",
      opt_out: "other",
      other: "other",
    };
    for (const intent of intents) expect(labelOfDecision({ intent })).toBe(expected[intent]);
  });
});
