/**
 * With the built-in classifier, the rule agent acts on the classifier's intent: escalations hand
 * off with the matching reason, opt-outs opt out, the rest is a question. The eval depends on the
 * decision carrying that intent.
 */
import { describe, expect, it } from "vitest";
import { ZQualification } from "@salesbot/shared";
import { createAgent } from "../../backend/src/agent/create-agent.js";
import type { AgentInput } from "../../backend/src/domain/agent.js";

const agent = createAgent({ engine: "builtin" });
const input = (text: string): AgentInput => ({
  tenantId: "t",
  conversationId: "c",
  customer: { name: "Ana Souza", vip: false, dealValue: null, known: ZQualification.parse({}), language: null },
  history: [],
  pending: [{ from: "customer", text, at: 0 }],
  now: 0,
});

describe("rule agent with the built-in classifier", () => {
  it("hands off escalations with the matching reason, in the customer's language", async () => {
    const cases = [
      ["can I talk to a real person", "human_request", "human_requested"],
      ["this is unacceptable, I want to file a complaint", "complaint", "complaint"],
      ["me cobraron dos veces", "sensitive_data", "payment_or_identity"],
      ["wat kost het per maand", "pricing", "pricing_or_contract"],
      ["ich möchte meinen vertrag kündigen", "contract", "pricing_or_contract"],
    ] as const;
    for (const [text, intent, reason] of cases) {
      const decision = await agent.decide(input(text));
      expect(decision.intent, text).toBe(intent);
      expect(decision.kind).toBe("handoff");
      if (decision.kind !== "handoff") continue;
      expect(decision.reason).toBe(reason);
      expect(decision.summary.intent).toBe(intent);
      expect(decision.summary.confidence).toBe(decision.confidence);
    }
    const spanish = await agent.decide(input("me cobraron dos veces"));
    expect(spanish.language).toBe("es");
  });

  it("opts out on STOP", async () => {
    const decision = await agent.decide(input("STOP"));
    expect(decision.kind).toBe("opt_out");
    expect(decision.intent).toBe("opt_out");
  });

  it("asks what the customer needs on a greeting or a routine message", async () => {
    const hello = await agent.decide(input("hello!"));
    expect(hello).toMatchObject({ kind: "question", intent: "greeting", field: "need" });
    if (hello.kind === "question") expect(hello.text).toContain("Ana");
    expect(await agent.decide(input("do you ship to canada?"))).toMatchObject({ kind: "question", intent: "faq" });
  });

  it("refuses to pass the built-in engine off as the LLM one", () => {
    expect(() => createAgent({ engine: "llm" })).toThrow(/not available/);
  });
});
