/**
 * The one place where an agent decision becomes an evaluation label. Only the intent counts, not the
 * kind of decision: an engine that hands off for the wrong reason is wrong, and one that answers a
 * pricing question itself is judged on having understood it.
 */
import type { EvalLabel, Intent } from "@salesbot/shared";
import type { AgentDecision } from "../../domain/agent.js";

const labelOfIntent: Record<Intent, EvalLabel> = {
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

export function labelOfDecision(decision: Pick<AgentDecision, "intent">): EvalLabel {
  return labelOfIntent[decision.intent];
}
