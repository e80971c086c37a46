/**
 * For tests that call an engine directly: the sandbox's approved knowledge in memory, an AgentInput
 * for a customer's messages, and a logger whose lines the test can read.
 */
import { pino } from "pino";
import { ZAgentSettings, ZQualification, type KnowledgeEntry } from "@salesbot/shared";
import { MiniSearchKnowledgeBase } from "../../backend/src/agent/knowledge/minisearch-knowledge-base.js";
import type { AgentDecision, AgentInput, AgentTurn } from "../../backend/src/domain/agent.js";
import type { Logger } from "../../backend/src/observability/logger.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";

export const TENANT = "default";
export const settings = ZAgentSettings.parse({ companyName: "Acme" });

export function knowledgeBase(entries: KnowledgeEntry[] = demoKnowledge): MiniSearchKnowledgeBase {
  return new MiniSearchKnowledgeBase({ listKnowledge: async () => entries, knowledgeVersion: async () => "1" });
}

let conversations = 0;

export function agentInput(pending: string[], history: Array<[AgentTurn["from"], string]> = []): AgentInput {
  const now = Date.now();
  return {
    tenantId: TENANT,
    conversationId: `conversation-${conversations++}`,
    customer: { name: "Ana Lima", vip: false, dealValue: null, known: ZQualification.parse({}), language: null, numberLanguage: null, askedField: null, askedFields: [] },
    history: history.map(([from, text], i) => ({ from, text, at: now - 60_000 + i })),
    pending: pending.map((text, i) => ({ from: "customer", text, at: now + i })),
    settings,
    now,
  };
}

/** What the customer would read. */
export function customerVisible(decision: AgentDecision): string {
  switch (decision.kind) {
    case "reply":
    case "question":
    case "opt_out":
      return decision.text;
    case "handoff":
      return decision.customerNotice;
    case "none":
      return "";
  }
}

export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const written: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void written.push(line) });
  return { logger, lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>), raw: () => written.join("") };
}
