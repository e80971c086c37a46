/**
 * Builds the agent the configuration asks for. The eval CLI and the composition root both use it, so
 * what is measured is what runs.
 */
import type { KnowledgeEntry } from "@salesbot/shared";
import type { Agent } from "../domain/agent.js";
import type { IntentClassifier } from "../domain/agent/intent-classifier.js";
import type { KnowledgeBase, KnowledgeHit } from "../domain/ports/knowledge.js";
import { BuiltinAgent } from "./builtin/builtin-agent.js";
import { KeywordIntentClassifier } from "./builtin/keyword-classifier.js";
import { GuardedAgent } from "./guarded-agent.js";

export type AgentEngine = "builtin" | "llm";

export function createIntentClassifier(): IntentClassifier {
  return new KeywordIntentClassifier();
}

/** A knowledge base with nothing in it: every routine question goes to a person. */
export const emptyKnowledgeBase: KnowledgeBase = {
  async search(): Promise<KnowledgeHit[]> {
    return [];
  },
  async get(): Promise<KnowledgeEntry | null> {
    return null;
  },
};

export interface AgentOptions {
  engine: AgentEngine;
  knowledge?: KnowledgeBase;
}

export function createAgent(options: AgentOptions): Agent {
  const knowledge = options.knowledge ?? emptyKnowledgeBase;
  const builtin = new BuiltinAgent(createIntentClassifier(), knowledge);
  if (options.engine === "llm") throw new Error("The LLM engine is not available yet: use --engine builtin.");
  return new GuardedAgent(builtin, knowledge);
}
