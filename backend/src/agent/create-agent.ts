/**
 * Builds the agent the configuration asks for. The eval CLI and the composition root both use it, so
 * what is measured is what runs.
 */
import type { KnowledgeEntry } from "@salesbot/shared";
import type { Agent } from "../domain/agent.js";
import type { IntentClassifier } from "../domain/agent/intent-classifier.js";
import type { KnowledgeBase, KnowledgeHit } from "../domain/ports/knowledge.js";
import { silentLogger, type Logger } from "../observability/logger.js";
import { BuiltinAgent } from "./builtin/builtin-agent.js";
import { BuiltinIntentClassifier } from "./builtin/intent/classifier.js";
import { GuardedAgent } from "./guarded-agent.js";
import { ChatModel, type LlmSettings } from "./llm/chat-model.js";
import { LlmAgent } from "./llm/llm-agent.js";

export type AgentEngine = "builtin" | "llm";
export const agentEngines: readonly AgentEngine[] = ["builtin", "llm"];

/** The engine asked for cannot be built here (not shipped yet, or not configured). */
export class AgentUnavailableError extends Error {
  constructor(readonly engine: AgentEngine, reason: string) {
    super(`The "${engine}" agent engine is not available: ${reason}`);
    this.name = "AgentUnavailableError";
  }
}

export function createIntentClassifier(): IntentClassifier {
  return new BuiltinIntentClassifier();
}

/** A knowledge base with nothing in it: every routine question goes to a person. */
export const emptyKnowledgeBase: KnowledgeBase = {
  async search(): Promise<KnowledgeHit[]> {
    return [];
  },
  async get(): Promise<KnowledgeEntry | null> {
    return null;
  },
  async ofKind(): Promise<KnowledgeEntry[]> {
    return [];
  },
};

export type { LlmSettings } from "./llm/chat-model.js";

export interface AgentOptions {
  engine: AgentEngine;
  knowledge?: KnowledgeBase;
  /** Required by the `llm` engine: `Config.agent.llm` as parsed from OPENAI_* variables. */
  llm?: LlmSettings | null;
  /** Where the LLM engine reports why it fell back on the built-in decision. */
  logger?: Logger;
}

/** Every engine is wrapped in the guardrails, so no engine can send an unapproved price or promise. */
export function createAgent(options: AgentOptions): Agent {
  const knowledge = options.knowledge ?? emptyKnowledgeBase;
  const builtin = new BuiltinAgent(createIntentClassifier(), knowledge);
  if (options.engine === "builtin") return new GuardedAgent(builtin, knowledge);
  if (!options.llm) throw new AgentUnavailableError("llm", "set OPENAI_API_KEY (and optionally OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_MS)");
  const llm = new LlmAgent(new ChatModel(options.llm), knowledge, builtin, options.logger ?? silentLogger);
  return new GuardedAgent(llm, knowledge);
}
