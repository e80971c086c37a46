/**
 * A burst: several WhatsApp messages sent before the bot answers, read as one turn by the built-in
 * engine. Every question in it is answered (or a person takes them all), and what the customer tells
 * across its lines is qualification.
 */
import { describe, expect, it } from "vitest";
import { createAgent } from "../../backend/src/agent/create-agent.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { agentInput, customerVisible, knowledgeBase } from "../support/agent.js";

const agent = createAgent({ engine: "builtin", knowledge: knowledgeBase() });
const body = (id: string) => demoKnowledge.find((entry) => entry.id === id)!.body;

describe("a burst of messages", () => {
  it("answers a follow-on question that names no topic (\"and how much\") beside the one before it", async () => {
    const decision = await agent.decide(agentInput(["good morning", "is there a trial", "and how much"]));
    expect(decision).toMatchObject({ kind: "reply", sourceId: "free-trial", moreSourceIds: ["price-ranges"] });
    expect(customerVisible(decision)).toBe(`${body("free-trial")}\n\n${body("price-ranges")}`);
  });

  it("answers two questions of one message when one of them names no topic", async () => {
    const decision = await agent.decide(agentInput(["what integrations do you have? how much is it?"]));
    expect(customerVisible(decision)).toBe(`${body("integrations")}\n\n${body("price-ranges")}`);
  });

  it("answers a request made beside a fact, and keeps the fact", async () => {
    const decision = await agent.decide(agentInput(["my email is carla@globex.com, please send me the pricing"]));
    expect(decision).toMatchObject({ kind: "reply", sourceId: "price-ranges", learned: { email: "carla@globex.com" } });
  });

  it("answers \"can you help us?\" after the customer told their situation with what the product does", async () => {
    for (const [text, id] of [
      ["we run a clinic and get 200 whatsapp messages a day, can you help us?", "overview"],
      ["hola, soy Ana, tenemos una tienda online y recibimos 300 mensajes al día por whatsapp, ¿pueden ayudarnos?", "resumen"],
      ["somos uma clínica com 5 dentistas, vocês podem nos ajudar?", "visao-geral"],
      ["Wir sind ein Autohaus mit 20 Verkäufern, können Sie uns helfen?", "ueberblick"],
    ] as const) {
      const decision = await agent.decide(agentInput([text]));
      expect(decision, text).toMatchObject({ kind: "reply", sourceId: id });
    }
    // What they told before asking is what they need help with; who they are ("soy Ana") and a head count are not.
    expect((await agent.decide(agentInput(["we run a clinic and get 200 whatsapp messages a day, can you help us?"]))).learned).toEqual({
      need: "we run a clinic and get 200 whatsapp messages a day",
    });
    expect((await agent.decide(agentInput(["hola, soy Ana, tenemos una tienda online y recibimos 300 mensajes al día por whatsapp, ¿pueden ayudarnos?"]))).learned).toEqual({
      name: "Ana",
      need: "tenemos una tienda online y recibimos 300 mensajes al día por whatsapp",
    });
    expect((await agent.decide(agentInput(["Wir sind ein Autohaus mit 20 Verkäufern, können Sie uns helfen?"]))).learned).toEqual({ company_size: 20 });
    // Alone, it says nothing yet about with what: the greeting asks.
    expect(await agent.decide(agentInput(["Hi, can you help me, I have a question"]))).toMatchObject({ kind: "question", field: "need" });
  });

  it("reads a name, the company it comes with and the need from different lines", async () => {
    const decision = await agent.decide(agentInput(["hi", "my name is Carla from Globex", "we need whatsapp in salesforce"]));
    expect(decision.learned).toEqual({ name: "Carla", company: "Globex", need: "we need whatsapp in salesforce" });
    expect(decision.kind).toBe("question");
  });

  it("greets a burst of greetings and \"anyone there?\" instead of calling a person", async () => {
    const decision = await agent.decide(agentInput(["hi", "hello??", "anyone there?"]));
    expect(decision).toMatchObject({ kind: "question", field: "need" });
    expect(customerVisible(decision)).toMatch(/^Hi Ana! I'm the virtual assistant of Acme\./);
  });
});
