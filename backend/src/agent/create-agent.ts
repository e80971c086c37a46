/**
 * Builds the agent the configuration asks for. The eval CLI and the composition root both use it, so
 * what is measured is what runs.
 */
import type { Agent } from "../domain/agent.js";
import type { IntentClassifier } from "../domain/agent/intent-classifier.js";
import { KeywordIntentClassifier } from "./builtin/keyword-classifier.js";
import { RuleAgent } from "./rule-agent.js";

export type AgentEngine = "builtin" | "llm";

export function createIntentClassifier(): IntentClassifier {
  return new KeywordIntentClassifier();
}

export function createAgent(_options: { engine: AgentEngine }): Agent {
  return new RuleAgent(createIntentClassifier());
}
