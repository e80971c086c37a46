import { describe, expect, it } from "vitest";
import { ZQualification } from "@salesbot/shared";
import { buildHandoffSummary, type SummaryInput } from "./summary.js";

const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
  customerName: "Ana Lima",
  known: ZQualification.parse({}),
  intent: "pricing",
  confidence: 0.912,
  language: "es",
  reason: "pricing_or_contract",
  angry: false,
  lastMessage: "¿cuánto cuesta el plan Growth para 12 usuarios?",
  unansweredQuestion: "¿cuánto cuesta el plan Growth para 12 usuarios?",
  ...over,
});

describe("the handoff summary a rep reads", () => {
  it("says who, why, what is known and the last message, the need quoted in the customer's words", () => {
    const known = ZQualification.parse({ need: "Necesitamos un bot de WhatsApp para ventas.", product_interest: "Growth", company_size: 12, timeline: "next quarter", budget: 30_000, budget_currency: "EUR", company: "Globex" });
    const summary = buildHandoffSummary(input({ known }));
    expect(summary.text).toBe(
      'Ana Lima (Globex) asked for a quote, discount or contract terms the bot may not give. Known so far: need, in their words: "Necesitamos un bot de WhatsApp para ventas"; is interested in Growth; for a team of 12; timeline: next quarter; budget: 30,000 EUR. Last message (Spanish): "¿cuánto cuesta el plan Growth para 12 usuarios?"',
    );
    expect(summary).toMatchObject({ need: "Necesitamos un bot de WhatsApp para ventas.", budget: "30,000 EUR", product: "Growth", urgency: "low", sentiment: "neutral", confidence: 0.91, language: "es" });
  });

  it("masks card numbers and IBANs wherever the customer's words appear", () => {
    const known = ZQualification.parse({ need: "pay with 4111 1111 1111 1111 please" });
    const summary = buildHandoffSummary(input({ known, reason: "payment_or_identity", lastMessage: "my IBAN is DE89370400440532013000", unansweredQuestion: "is DE89370400440532013000 right?" }));
    for (const text of [summary.text, summary.need, summary.unansweredQuestion]) {
      expect(text).not.toMatch(/4111 1111|DE89370400440532013000/);
    }
  });

  it("is urgent for an angry customer or an urgent timeline, and says when nothing is qualified yet", () => {
    expect(buildHandoffSummary(input({ angry: true, reason: "complaint", intent: "complaint" }))).toMatchObject({ urgency: "high", sentiment: "negative" });
    expect(buildHandoffSummary(input({ known: ZQualification.parse({ timeline: "asap" }) })).urgency).toBe("high");
    for (const timeline of ["so schnell wie möglich", "lo antes posible", "o quanto antes"]) {
      expect(buildHandoffSummary(input({ known: ZQualification.parse({ timeline }) })).urgency, timeline).toBe("high");
    }
    // Within weeks is soon; a quarter or a season away is not.
    for (const timeline of ["next month", "en 2 semanas", "binnen 3 weken", "nächste Woche"]) {
      expect(buildHandoffSummary(input({ known: ZQualification.parse({ timeline }) })).urgency, timeline).toBe("normal");
    }
    expect(buildHandoffSummary(input({ known: ZQualification.parse({ timeline: "before summer" }) })).urgency).toBe("low");
    expect(buildHandoffSummary(input({ customerName: null })).text).toMatch(/^The customer asked for a quote.* Nothing qualified yet\./);
  });
});
