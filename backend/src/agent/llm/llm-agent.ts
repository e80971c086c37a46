/**
 * The LLM engine behind the agent port. The built-in engine decides first, for the same input: when
 * the escalation policy forces a person (a request for one, a complaint, a quote or discount, payment
 * data, a VIP, a high-value lead) or the customer opts out, that decision stands and the model is not
 * asked. The model may only do better where the built-in engine's handoff merely says it found no
 * answer or did not understand. Any failure of the model, and any answer that cannot be checked, ends
 * in the built-in decision; the reason is logged, never the text.
 */
import type { HandoffReason } from "@salesbot/shared";
import type { Agent, AgentDecision, AgentInput } from "../../domain/agent.js";
import type { KnowledgeBase } from "../../domain/ports/knowledge.js";
import type { Logger } from "../../observability/logger.js";
import { toFailure } from "./failure.js";
import { KnowledgeSession } from "./knowledge-tool.js";
import { decisionFromModel } from "./model-decision.js";
import { parseOutput } from "./output.js";
import { buildMessages, type PromptMessage } from "./prompt.js";

export interface LanguageModel {
  complete(prompt: PromptMessage[], tools: KnowledgeSession): Promise<string>;
}

/** Handoffs that only mean the built-in engine lacked an answer or an interpretation. */
const OVERRULABLE: ReadonlySet<HandoffReason> = new Set(["unknown_answer", "low_confidence"]);

export class LlmAgent implements Agent {
  constructor(
    private readonly model: LanguageModel,
    private readonly knowledge: KnowledgeBase,
    private readonly builtin: Agent,
    private readonly logger: Logger,
  ) {}

  async decide(input: AgentInput): Promise<AgentDecision> {
    const baseline = await this.builtin.decide(input);
    const forced = baseline.kind === "opt_out" || baseline.kind === "none" || (baseline.kind === "handoff" && !OVERRULABLE.has(baseline.reason));
    if (forced) return baseline;

    const ids = { tenantId: input.tenantId, conversationId: input.conversationId };
    const session = new KnowledgeSession(this.knowledge, input.tenantId, baseline.language);
    let content: string;
    try {
      content = await this.model.complete(buildMessages(input, baseline.language), session);
    } catch (error) {
      const failure = toFailure(error, false);
      this.logger.warn({ ...ids, reason: failure.reason, status: failure.status }, "llm engine failed: built-in decision used");
      return baseline;
    }
    const parsed = parseOutput(content);
    if (!parsed.ok) {
      this.logger.warn({ ...ids, reason: parsed.reason }, "llm answer unusable: built-in decision used");
      return baseline;
    }
    const decided = decisionFromModel(input, baseline, parsed.output, session);
    if (!decided.ok) {
      this.logger.info({ ...ids, reason: decided.reason }, "llm answer not trusted: built-in decision used");
      return baseline;
    }
    return decided.decision;
  }
}
