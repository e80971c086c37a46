/**
 * Wraps any engine and checks what it wants to say before it is said: a price, a percentage or a
 * commitment that the cited approved source does not state, or a trace of our instructions, is never
 * sent. The conversation goes to a person instead, with the reason recorded.
 */
import type { HandoffReason } from "@salesbot/shared";
import type { Agent, AgentDecision, AgentInput } from "../domain/agent.js";
import { isOpen } from "../domain/agent/business-hours.js";
import { checkReply, type GuardrailViolation } from "../domain/agent/guardrails.js";
import { phrases } from "../domain/agent/messages.js";
import { mergeQualification } from "../domain/agent/qualification.js";
import { buildHandoffSummary } from "../domain/agent/summary.js";
import type { KnowledgeBase } from "../domain/ports/knowledge.js";

const reasonFor = (violations: GuardrailViolation[]): HandoffReason =>
  violations.includes("unapproved_price") || violations.includes("unapproved_commitment") ? "pricing_or_contract" : "low_confidence";

export class GuardedAgent implements Agent {
  constructor(
    private readonly engine: Agent,
    private readonly knowledge: KnowledgeBase,
    private readonly onViolation: (violations: GuardrailViolation[], input: AgentInput) => void = () => undefined,
  ) {}

  async decide(input: AgentInput): Promise<AgentDecision> {
    const decision = await this.engine.decide(input);
    const builtIn = phrases[decision.language];
    switch (decision.kind) {
      case "reply": {
        const ids = decision.sourceId ? [decision.sourceId, ...(decision.moreSourceIds ?? [])] : [];
        const sources = (await Promise.all(ids.map((id) => this.knowledge.get(input.tenantId, id)))).filter((source) => source !== null);
        // A reply from several entries may state what any of them states.
        const approved = sources.length > 0 ? sources.map((source) => `${source.title}\n${source.body}`).join("\n") : null;
        const violations = checkReply(decision.text, approved);
        return violations.length === 0 ? decision : this.escalate(input, decision, violations);
      }
      case "question": {
        const violations = checkReply(decision.text, null);
        return violations.length === 0 ? decision : this.escalate(input, decision, violations);
      }
      case "handoff":
        // The notice is what the customer reads: it must not promise anything either.
        return checkReply(decision.customerNotice, null).length === 0 ? decision : { ...decision, customerNotice: builtIn.handoff };
      case "opt_out":
        return { ...decision, text: builtIn.optedOut };
      case "none":
        return decision;
      default:
        return decision satisfies never;
    }
  }

  private escalate(input: AgentInput, decision: AgentDecision, violations: GuardrailViolation[]): AgentDecision {
    this.onViolation(violations, input);
    const reason = reasonFor(violations);
    const words = phrases[decision.language];
    const custom = input.settings.messages[decision.language];
    const open = isOpen(input.settings.businessHours, input.now);
    const last = input.pending[input.pending.length - 1]?.text ?? "";
    return {
      intent: decision.intent,
      confidence: decision.confidence,
      language: decision.language,
      learned: decision.learned,
      kind: "handoff",
      reason,
      priority: "normal",
      team: input.settings.escalation.teams[reason] ?? input.settings.escalation.defaultTeam,
      customerNotice: open ? (custom?.handoff ?? words.handoff) : (custom?.handoffOutOfHours ?? words.handoffOutOfHours),
      summary: buildHandoffSummary({
        customerName: input.customer.name,
        known: mergeQualification(input.customer.known, decision.learned),
        intent: decision.intent,
        confidence: decision.confidence,
        language: decision.language,
        reason,
        angry: false,
        lastMessage: input.pending.map((t) => t.text).join(" / "),
        unansweredQuestion: last,
      }),
    };
  }
}
