/**
 * The guardrails around any engine, for a reply drawn from several approved entries (a message that
 * asks several questions): it may state what any of its cited entries states, and nothing more.
 */
import { describe, expect, it } from "vitest";
import { GuardedAgent } from "../../backend/src/agent/guarded-agent.js";
import type { Agent, AgentDecision } from "../../backend/src/domain/agent.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { agentInput, knowledgeBase } from "../support/agent.js";

const body = (id: string) => demoKnowledge.find((entry) => entry.id === id)!.body;

/** An engine that says what it is told: the guardrails are the subject here, not the engine. */
const saying = (decision: AgentDecision): Agent => ({ decide: async () => decision });

const reply = (text: string, sourceId: string, moreSourceIds?: string[]): AgentDecision => ({
  kind: "reply",
  text,
  sourceId,
  ...(moreSourceIds ? { moreSourceIds } : {}),
  intent: "faq",
  confidence: 0.9,
  language: "en",
  learned: {},
});

describe("the guardrails of a reply from several sources", () => {
  const input = agentInput(["Do you integrate with HubSpot? And what does it cost?"]);
  const twoAnswers = `${body("integrations")}\n\n${body("price-ranges")}`;

  it("send it when every price in it is stated by one of its cited entries", async () => {
    expect(body("price-ranges")).toMatch(/€29/);
    const decision = await new GuardedAgent(saying(reply(twoAnswers, "integrations", ["price-ranges"])), knowledgeBase()).decide(input);
    expect(decision).toMatchObject({ kind: "reply", text: twoAnswers });
  });

  it("hand the conversation to a person when a price is stated by no cited entry", async () => {
    const uncited = await new GuardedAgent(saying(reply(twoAnswers, "integrations")), knowledgeBase()).decide(input);
    expect(uncited).toMatchObject({ kind: "handoff", reason: "pricing_or_contract" });
    const unknownSource = await new GuardedAgent(saying(reply(twoAnswers, "integrations", ["no-such-entry"])), knowledgeBase()).decide(input);
    expect(unknownSource).toMatchObject({ kind: "handoff", reason: "pricing_or_contract" });
  });
});
