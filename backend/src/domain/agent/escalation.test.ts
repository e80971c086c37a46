import { describe, expect, it } from "vitest";
import { ZEscalationSettings } from "@salesbot/shared";
import { escalationFor, type EscalationSignals } from "./escalation.js";

const settings = ZEscalationSettings.parse({});
const calm: EscalationSignals = {
  intent: "faq",
  confidence: 0.9,
  wantsSpecificOffer: false,
  unanswerable: false,
  vip: false,
  dealValue: null,
  leadScore: 10,
  companySize: null,
  angry: false,
  answeredQuestion: false,
  justQualified: false,
  toldTheirNeed: false,
  answeredFromSource: false,
};

describe("escalation policy", () => {
  it("lets a routine, answerable question through", () => {
    expect(escalationFor(calm, settings)).toBeNull();
  });

  it("takes more certainty to read a complaint or a request into an answer to the bot's question", () => {
    // "this quarter", read as a complaint at 40 %, answered "When would you like to have this in place?".
    expect(escalationFor({ ...calm, intent: "complaint", confidence: 0.4, answeredQuestion: true }, settings)).toBeNull();
    expect(escalationFor({ ...calm, intent: "complaint", confidence: 0.4 }, settings)).toMatchObject({ reason: "complaint" });
    expect(escalationFor({ ...calm, intent: "complaint", confidence: 0.95, answeredQuestion: true }, settings)).toMatchObject({ reason: "complaint" });
    expect(escalationFor({ ...calm, intent: "human_request", confidence: 0.95, answeredQuestion: true }, settings)).toMatchObject({ reason: "human_requested" });
    // Anger needs no classifier at all.
    expect(escalationFor({ ...calm, intent: "other", confidence: 0.4, answeredQuestion: true, angry: true }, settings)).toMatchObject({ reason: "complaint", priority: "urgent" });
  });

  it.each([
    [{ intent: "human_request" }, "human_requested", "high", "sales"],
    [{ intent: "complaint" }, "complaint", "high", "support"],
    [{ intent: "faq", angry: true }, "complaint", "urgent", "support"],
    [{ intent: "sensitive_data" }, "payment_or_identity", "high", "support"],
    [{ intent: "contract" }, "pricing_or_contract", "normal", "sales"],
    [{ intent: "pricing", wantsSpecificOffer: true }, "pricing_or_contract", "normal", "sales"],
    [{ intent: "purchase_intent", leadScore: 80 }, "high_value_lead", "high", "sales"],
    [{ intent: "purchase_intent", dealValue: 40_000 }, "high_value_lead", "high", "sales"],
    [{ intent: "purchase_intent", companySize: 200 }, "high_value_lead", "high", "sales"],
    [{ intent: "other", companySize: 200, justQualified: true, answeredQuestion: true }, "high_value_lead", "high", "sales"],
    [{ intent: "other", leadScore: 85, justQualified: true, answeredQuestion: true }, "high_value_lead", "high", "sales"],
    [{ intent: "complaint", confidence: 0.3, companySize: 2000, toldTheirNeed: true, answeredQuestion: true }, "high_value_lead", "high", "sales"],
    [{ intent: "faq", vip: true }, "vip", "high", "sales"],
    [{ intent: "faq", unanswerable: true }, "unknown_answer", "normal", "sales"],
    [{ intent: "purchase_intent", unanswerable: true }, "unknown_answer", "high", "sales"],
    [{ intent: "opt_out" }, "low_confidence", "normal", "sales"],
    [{ intent: "purchase_intent", confidence: 0.2, unanswerable: true }, "unknown_answer", "normal", "sales"],
    [{ intent: "appointment", unanswerable: true }, "human_requested", "high", "sales"],
    [{ intent: "appointment", confidence: 0.2, unanswerable: true }, "unknown_answer", "normal", "sales"],
    [{ intent: "other", confidence: 0.1 }, "low_confidence", "normal", "sales"],
  ] as const)("%j → %s", (signals, reason, priority, team) => {
    expect(escalationFor({ ...calm, ...signals }, settings)).toEqual({ reason, priority, team });
  });

  it("takes no reason from an intent the classifier only guesses at", () => {
    for (const intent of ["sensitive_data", "human_request", "complaint", "contract"] as const) {
      expect(escalationFor({ ...calm, intent, confidence: 0.27 }, settings), intent).toMatchObject({ reason: "low_confidence" });
      expect(escalationFor({ ...calm, intent, confidence: 0.27, answeredQuestion: true }, settings), intent).toBeNull();
    }
    expect(escalationFor({ ...calm, intent: "complaint", confidence: 0.27, angry: true }, settings)).toMatchObject({ reason: "complaint" });
  });

  it("does not call an answer to its own question low-confidence", () => {
    expect(escalationFor({ ...calm, intent: "other", confidence: 0.1, answeredQuestion: true }, settings)).toBeNull();
  });

  it("lets an approved entry answer a message the classifier is unsure of, but not one it is sure needs a person", () => {
    expect(escalationFor({ ...calm, intent: "faq", confidence: 0.3, answeredFromSource: true }, settings)).toBeNull();
    expect(escalationFor({ ...calm, intent: "faq", confidence: 0.3 }, settings)).toMatchObject({ reason: "low_confidence" });
    expect(escalationFor({ ...calm, intent: "sensitive_data", confidence: 0.9, answeredFromSource: true }, settings)).toMatchObject({ reason: "payment_or_identity" });
  });

  it("answers a published price range without a handoff", () => {
    expect(escalationFor({ ...calm, intent: "pricing" }, settings)).toBeNull();
  });

  it("counts a large team as a high-value lead only when it wants to buy, asks prices or a meeting", () => {
    expect(escalationFor({ ...calm, intent: "faq", companySize: 250 }, settings)).toBeNull();
    expect(escalationFor({ ...calm, intent: "purchase_intent", companySize: 99 }, settings)).toBeNull();
    expect(escalationFor({ ...calm, intent: "pricing", companySize: 100 }, settings)).toMatchObject({ reason: "high_value_lead" });
    const larger = ZEscalationSettings.parse({ highValueCompanySize: 500 });
    expect(escalationFor({ ...calm, intent: "purchase_intent", companySize: 200 }, larger)).toBeNull();
  });

  it("puts the costliest mistake first: a VIP asking for a person is urgent", () => {
    expect(escalationFor({ ...calm, intent: "human_request", vip: true }, settings)).toMatchObject({ reason: "human_requested", priority: "urgent" });
    expect(escalationFor({ ...calm, intent: "human_request", angry: true }, settings)).toMatchObject({ reason: "human_requested", priority: "urgent" });
  });

  it("respects a tenant that switched a reason off and routes by its own teams", () => {
    const custom = ZEscalationSettings.parse({ enabledReasons: ["human_requested", "unknown_answer"], teams: { unknown_answer: "support" } });
    expect(escalationFor({ ...calm, intent: "contract" }, custom)).toBeNull();
    expect(escalationFor({ ...calm, unanswerable: true }, custom)).toEqual({ reason: "unknown_answer", priority: "normal", team: "support" });
  });
});
