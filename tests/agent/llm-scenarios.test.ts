/**
 * A conversation through the whole backend with AGENT_ENGINE=llm: the model (the fake, `helpful`)
 * answers from the approved knowledge through its tool, and a discount request still goes to a person
 * with a summary the rep can act on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZAgentSettings } from "@salesbot/shared";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { startFakeOpenAi, type FakeOpenAi } from "../fakes/openai.js";
import { startTestBackend, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";

describe("conversation scenarios with the LLM engine", () => {
  let fake: FakeOpenAi;
  let t: TestBackend;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ mode: "helpful" });
    t = await startTestBackend({ env: { AGENT_ENGINE: "llm", OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: "gpt-4o-mini", OPENAI_TIMEOUT_MS: "5000" } });
    await t.backend.store.transaction((tx) => tx.replaceKnowledge("default", demoKnowledge, Date.now()));
    await t.backend.store.putAgentSettings("default", ZAgentSettings.parse({ companyName: "Acme" }), Date.now());
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("answers an FAQ from the knowledge base, then hands a discount request to sales with a summary", async () => {
    const bo = new Customer(t, "16505559901", "Bo Berg");
    const integrations = demoKnowledge.find((entry) => entry.id === "integrations")!;
    expect(await bo.says("Do you integrate with HubSpot?")).toEqual([`Yes. ${integrations.body}`]);
    const toolCalls = fake.requests.flatMap((r) => r.body.messages).filter((m) => m.role === "tool");
    expect(toolCalls.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => r.body.model === "gpt-4o-mini")).toBe(true);

    const [notice] = await bo.says("Great. Can you give us 20% off if we take 50 seats?");
    expect(notice).toMatch(/member of our team/);
    const { conversation } = await bo.conversation();
    expect(conversation.mode).toBe("waiting");
    expect(conversation.agent.handoff).toMatchObject({ reason: "pricing_or_contract", team: "sales" });
    const summary = conversation.agent.handoff!.summary;
    expect(summary.unansweredQuestion).toMatch(/20% off/);
    expect(summary.text).toMatch(/Bo Berg asked for a quote, discount or contract terms/);
    expect(await bo.says("hello?")).toEqual([]);
  });
});
