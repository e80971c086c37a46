/**
 * Runs the agent on each row as the first and only message of a brand-new conversation (no history,
 * no CRM knowledge), exactly as a new customer's first message reaches it, and labels the decision.
 */
import { ZAgentSettings, ZQualification, type EvalLabel } from "@salesbot/shared";
import type { Agent, AgentInput } from "../../domain/agent.js";
import type { EvalRow } from "./dataset.js";
import { labelOfDecision } from "./label-of-decision.js";

const EVAL_EPOCH = Date.UTC(2026, 0, 1);

export function firstMessageInput(text: string, index: number): AgentInput {
  return {
    tenantId: "eval",
    conversationId: `eval-${index}`,
    customer: { name: null, vip: false, dealValue: null, known: ZQualification.parse({}), language: null, numberLanguage: null, askedField: null, askedFields: [] },
    history: [],
    pending: [{ from: "customer", text, at: EVAL_EPOCH }],
    settings: ZAgentSettings.parse({}),
    now: EVAL_EPOCH,
  };
}

export interface EvalOutcome {
  pairs: Array<{ gold: EvalLabel; predicted: EvalLabel }>;
  /** Wall time of each decide() call, in milliseconds. */
  durations: number[];
}

export async function runEval(agent: Agent, rows: readonly EvalRow[]): Promise<EvalOutcome> {
  const pairs: EvalOutcome["pairs"] = [];
  const durations: number[] = [];
  for (const [index, row] of rows.entries()) {
    const started = performance.now();
    const decision = await agent.decide(firstMessageInput(row.text, index));
    durations.push(performance.now() - started);
    pairs.push({ gold: row.label, predicted: labelOfDecision(decision) });
  }
  return { pairs, durations };
}
