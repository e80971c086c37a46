/**
 * Builds the agent the configuration asks for. The eval CLI and the composition root both use it, so
 * what is measured is what runs.
 */
import type { Agent } from "../domain/agent.js";
import type { IntentClassifier } from "../domain/agent/intent-classifier.js";
import { BuiltinIntentClassifier } from "./builtin/intent/classifier.js";
import { RuleAgent } from "./rule-agent.js";

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

export function createAgent(options: { engine: AgentEngine }): Agent {
  switch (options.engine) {
    case "builtin":
      return new RuleAgent(createIntentClassifier());
    case "llm":
      // Answering "llm" with the built-in engine would make an LLM eval silently measure the wrong thing.
      throw new AgentUnavailableError("llm", "no LLM engine is wired into createAgent yet");
  }
}
