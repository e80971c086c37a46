import { describe, expect, it } from "vitest";
import type { AgentDecision } from "../agent.js";
import { askedFieldsAfter, openQuestionAfter } from "./open-question.js";

const base = { intent: "faq", confidence: 0.9, language: "en", learned: {} } as const;

describe("the qualification question left open after the bot's turn", () => {
  it("is the field the bot asked for, alone or after an answer, and none after anything else", () => {
    const cases: Array<[AgentDecision, string | null]> = [
      [{ ...base, kind: "question", text: "How many people…?", field: "company_size" }, "company_size"],
      [{ ...base, kind: "reply", text: "Yes, 14 days.\n\nWhich plan…?", sourceId: "free-trial", asks: "product_interest" }, "product_interest"],
      [{ ...base, kind: "reply", text: "Yes, 14 days.", sourceId: "free-trial" }, null],
      [{ ...base, kind: "reply", text: "Happy to help!", sourceId: null }, null],
      [{ ...base, kind: "handoff", reason: "complaint", priority: "high", team: "support", customerNotice: "…", summary: {} as never }, null],
      [{ ...base, kind: "opt_out", text: "…" }, null],
      [{ ...base, kind: "none" }, null],
    ];
    for (const [decision, open] of cases) expect(openQuestionAfter(decision), decision.kind).toBe(open);
  });
});

describe("the qualification questions counted as asked after the bot's turn", () => {
  it("adds the one asked and the ones the customer declined, each once", () => {
    expect(askedFieldsAfter({ ...base, kind: "question", text: "Which plan…?", field: "product_interest" }, ["need"])).toEqual(["need", "product_interest"]);
    expect(askedFieldsAfter({ ...base, kind: "question", text: "Which plan…?", field: "product_interest" }, ["need", "product_interest"])).toEqual(["need", "product_interest"]);
    expect(askedFieldsAfter({ ...base, kind: "reply", text: "Of course, no more questions.", sourceId: null, declinedFields: ["company_size", "timeline", "budget"] }, ["need"])).toEqual(["need", "company_size", "timeline", "budget"]);
    expect(askedFieldsAfter({ ...base, kind: "none" }, ["need"])).toEqual(["need"]);
  });
});
