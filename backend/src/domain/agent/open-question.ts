/**
 * The qualification state a bot's turn leaves behind. The question still open, which the customer's next
 * message may answer: the one the bot just asked, on its own or after an answer ("Which plan?" - "is
 * there a free trial?" - "Yes, 14 days. Which plan…?" - "Starter"); anything else closes it. And the
 * questions counted as asked: the one asked, and those the customer declined to be asked.
 */
import type { QualificationField } from "@salesbot/shared";
import type { AgentDecision } from "../agent.js";

export function openQuestionAfter(decision: AgentDecision): QualificationField | null {
  switch (decision.kind) {
    case "question":
      return decision.field;
    case "reply":
      return decision.asks ?? null;
    case "handoff":
    case "opt_out":
    case "none":
      return null;
    default:
      return decision satisfies never;
  }
}

/** The qualification questions counted as asked after the bot's turn: never asked again unprompted. */
export function askedFieldsAfter(decision: AgentDecision, asked: readonly QualificationField[]): QualificationField[] {
  const now = [...(decision.kind === "question" ? [decision.field] : []), ...(decision.declinedFields ?? [])];
  return [...asked, ...now.filter((field, i) => !asked.includes(field) && now.indexOf(field) === i)];
}
