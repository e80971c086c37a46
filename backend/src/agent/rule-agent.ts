/**
 * A minimal rule engine behind the agent port, so the loop closes before the real agent lands: it
 * greets, asks what the customer needs, and hands off on the obvious signals (a person asked for,
 * a complaint, a payment or identity matter, a price or contract question). It never states facts it
 * was not given. With a classifier, the classifier's intent decides (so the eval measures the
 * classifier); without one, a few English patterns stand in.
 */
import type { HandoffReason, Intent, Language } from "@salesbot/shared";
import type { Agent, AgentDecision, AgentInput } from "../domain/agent.js";
import type { IntentClassifier } from "../domain/agent/intent-classifier.js";

const signals: Array<{ reason: HandoffReason; intent: Intent; pattern: RegExp }> = [
  { reason: "human_requested", intent: "human_request", pattern: /\b(human|person|agent|representative|someone real|talk to (a|some)one|operator)\b/i },
  { reason: "complaint", intent: "complaint", pattern: /\b(complain|complaint|terrible|awful|angry|furious|worst|refund|unacceptable|disappointed)\b/i },
  { reason: "payment_or_identity", intent: "sensitive_data", pattern: /\b(card number|credit card|iban|password|passport|social security)\b/i },
  { reason: "pricing_or_contract", intent: "pricing", pattern: /\b(price|pricing|quote|cost|discount|contract|invoice|how much)\b/i },
];

const handoffReasonOf: Partial<Record<Intent, HandoffReason>> = {
  human_request: "human_requested",
  complaint: "complaint",
  sensitive_data: "payment_or_identity",
  pricing: "pricing_or_contract",
  contract: "pricing_or_contract",
};

const greeting = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|hola|ola|olá|hallo|bom dia|buenos días)\b/i;

export const HANDOFF_NOTICE = "Thanks for your patience. I'm bringing in a member of our team, who will reply here shortly.";
export const OPT_OUT_NOTICE = "Done: you will not receive any more messages from us here.";

interface Reading {
  intent: Intent;
  confidence: number;
  language: Language;
  reason: HandoffReason | null;
}

export class RuleAgent implements Agent {
  constructor(private readonly classifier?: IntentClassifier) {}

  private read(text: string, input: AgentInput): Reading {
    if (this.classifier) {
      const classified = this.classifier.classify(text, input.customer.language);
      return { ...classified, reason: handoffReasonOf[classified.intent] ?? null };
    }
    const signal = signals.find((s) => s.pattern.test(text));
    return { intent: signal?.intent ?? (greeting.test(text) ? "greeting" : "other"), confidence: 0.5, language: "en", reason: signal?.reason ?? null };
  }

  async decide(input: AgentInput): Promise<AgentDecision> {
    const text = input.pending.map((turn) => turn.text).join("\n");
    const reading = this.read(text, input);
    const base = { intent: reading.intent, confidence: reading.confidence, language: reading.language, learned: {} };
    if (reading.intent === "opt_out") return { ...base, kind: "opt_out", text: OPT_OUT_NOTICE };
    if (reading.reason) {
      return {
        ...base,
        kind: "handoff",
        reason: reading.reason,
        priority: "normal",
        team: "sales",
        customerNotice: HANDOFF_NOTICE,
        summary: {
          need: null,
          budget: null,
          product: null,
          urgency: "normal",
          unansweredQuestion: null,
          sentiment: "neutral",
          intent: reading.intent,
          confidence: reading.confidence,
          language: reading.language,
          text: `Customer wrote: ${text.slice(0, 280)}`,
        },
      };
    }
    const name = input.customer.name ? ` ${input.customer.name.split(" ")[0]}` : "";
    if (greeting.test(text) && input.history.length === 0) {
      return { ...base, kind: "question", field: "need", text: `Hi${name}! I'm the virtual assistant. What can I help you with today?` };
    }
    return { ...base, kind: "question", field: "need", text: "Thanks! Could you tell me a little more about what you need, so I can point you to the right answer?" };
  }
}
