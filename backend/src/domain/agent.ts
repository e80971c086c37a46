/**
 * The agent port: a conversation goes in, a decision comes out. Engines (rules, LLM) implement it;
 * the use cases act on the decision and never look inside an engine.
 */
export const handoffReasons = [
  "human_requested",
  "complaint",
  "pricing_or_contract",
  "payment_or_identity",
  "unknown_answer",
  "high_value_lead",
  "vip",
  "low_confidence",
] as const;
export type HandoffReason = (typeof handoffReasons)[number];

export interface AgentTurn {
  from: "customer" | "business";
  text: string;
  at: number;
}

export interface AgentInput {
  tenantId: string;
  conversationId: string;
  customerName: string | null;
  /** Earlier turns, oldest first. */
  history: AgentTurn[];
  /** The customer's messages not yet answered, oldest first: a burst is answered as a whole. */
  pending: AgentTurn[];
}

export type AgentDecision =
  | { kind: "reply"; text: string }
  | { kind: "question"; text: string; field: string }
  | { kind: "handoff"; reason: HandoffReason; customerNotice: string; summary: string }
  | { kind: "none" };

export interface Agent {
  decide(input: AgentInput): Promise<AgentDecision>;
}
