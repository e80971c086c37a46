/**
 * Retrieval over the approved knowledge base: the right entry for paraphrased, misspelt and
 * other-language questions, and nothing above the threshold for questions it does not cover.
 */
import { describe, expect, it } from "vitest";
import { ZAgentSettings, type KnowledgeEntry } from "@salesbot/shared";
import { MiniSearchKnowledgeBase } from "../../backend/src/agent/knowledge/minisearch-knowledge-base.js";
import { topicTerms } from "../../backend/src/agent/knowledge/topic-terms.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";

function knowledgeBase(entries: KnowledgeEntry[]) {
  let version = 1;
  const source = {
    entries,
    reads: 0,
    failNextRead: false,
    listKnowledge: async () => {
      source.reads++;
      // A read takes a while, as a database's does: searches meanwhile find no index yet.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (source.failNextRead) {
        source.failNextRead = false;
        throw new Error("the store is down");
      }
      return source.entries;
    },
    knowledgeVersion: async () => String(version),
  };
  return { kb: new MiniSearchKnowledgeBase(source), source, replace: (next: KnowledgeEntry[]) => ((source.entries = next), version++) };
}

const threshold = ZAgentSettings.parse({}).knowledgeThreshold;

describe("knowledge base retrieval", () => {
  const { kb } = knowledgeBase(demoKnowledge);
  const best = async (query: string, language: "en" | "es" | "pt" | "nl" | "de" = "en") => (await kb.search("t", query, { language }))[0];

  it.each([
    ["Do you integrate with HubSpot?", "integrations"],
    ["does it work with salesforce", "integrations"],
    ["is there a free trial", "free-trial"],
    ["how much does it cost", "price-ranges"],
    ["what are your pricing plans?", "price-ranges"],
    ["how long does the setup take", "setup-time"],
    ["what's the setup time?", "setup-time"],
    ["what are your opening times?", "opening-hours"],
    ["are you GDPR compliant, where is my data stored?", "data-protection"],
    ["wich languges does the asistant speak", "languages"],
    ["how does the handoff to a human work?", "handoff"],
    ["does onboarding take two weeks?", "setup-time"],
    ["is the trial 14 days?", "free-trial"],
    ["whats ur pricing", "price-ranges"],
    ["do u have a trial", "free-trial"],
    ["how long does it take to set up?", "setup-time"],
  ])("%j → %s above the threshold", async (query, id) => {
    const hit = await best(query);
    expect(hit?.entry.id).toBe(id);
    expect(hit!.relevance).toBeGreaterThanOrEqual(threshold);
  });

  it("reads \"time\" after a topic word, and \"long\" after \"how\", as part of how the question is asked, not as its topic", () => {
    expect(topicTerms("what's the setup time?")).toEqual(["setup"]);
    expect(topicTerms("What are your delivery times")).toEqual(["delivery"]);
    expect(topicTerms("What time does your team work?")).toEqual(["time", "team"]);
    expect(topicTerms("How long is the trial?")).toEqual(["trial"]);
    expect(topicTerms("a long-term contract")).toEqual(["long", "term", "contract"]);
  });

  it("finds entries written in the customer's language", async () => {
    expect((await best("¿cuál es el horario de atención?", "es"))?.entry.id).toBe("horarios");
    expect((await best("quanto custa o plano?", "pt"))?.entry.id).toBe("precos");
  });

  it("drops stopwords written with accents, and the words for the product itself, from the topic", () => {
    expect(topicTerms("¿Está disponible en español?")).toEqual(["disponible", "espanol"]);
    expect(topicTerms("können wir das testen?")).toEqual(["testen"]);
    expect(topicTerms("Can your tool help?")).toEqual([]);
    expect(topicTerms("O que vocês fazem?")).toEqual([]);
    expect(topicTerms("Does the software integrate with Pipedrive?")).toEqual(["integrate", "pipedrive"]);
    expect(topicTerms("how does your bot work with hubspot?")).toEqual(["hubspot"]);
    expect(topicTerms("please send me the pricing")).toEqual(["pricing"]);
    expect(topicTerms("can you help us?")).toEqual([]);
    // "Is it expensive?" asks the price, as "how much is it?" does.
    expect(topicTerms("is it expensive?")).toEqual([]);
    expect(topicTerms("is Growth expensive?")).toEqual(["growth"]);
    expect(topicTerms("¿pueden ayudarnos?")).toEqual([]);
    expect(topicTerms("Bieten Sie eine Testphase an?")).toEqual(["testphase"]);
    expect(topicTerms("stop asking, just tell me the price")).toEqual(["price"]);
    expect(topicTerms("ok so how does it work exactly?")).toEqual([]);
    expect(topicTerms("is it really GDPR compliant?")).toEqual(["gdpr", "compliant"]);
    // "Does it work with…" in every language asks about what follows.
    expect(topicTerms("Hoi, werkt het met Salesforce?")).toEqual(["salesforce"]);
    expect(topicTerms("¿Funciona con Pipedrive?")).toEqual(["pipedrive"]);
    expect(topicTerms("Funktioniert das mit HubSpot?")).toEqual(["hubspot"]);
  });

  it("leaves the greeting in front of a question out of its topic", async () => {
    expect(topicTerms("Good morning, are you open on Sunday morning?")).toEqual(["open", "sunday", "morning"]);
    expect(topicTerms("Hi there, is there a free trial?")).toEqual(["free", "trial"]);
    expect(topicTerms("helo, do yu integrat with hubspot")).toEqual(["integrat", "hubspot"]);
    expect(topicTerms("heyyy whats ur pricing")).toEqual(["pricing"]);
    // A burst of greetings before the question: "Hola" / "buenas tardes" / "quería info".
    expect(topicTerms("Hola\nbuenas tardes\nquería info")).toEqual([]);
    expect((await best("Boa tarde, vocês têm teste grátis?", "pt"))).toMatchObject({ entry: { id: "teste-gratis" }, relevance: 1 });
  });

  it("does not take \"you\" and \"be\" in Dutch and German for the topic of a question", async () => {
    expect(topicTerms("Wat zijn jullie openingstijden?")).toEqual(["openingstijden"]);
    expect(topicTerms("Wann seid ihr erreichbar?")).toEqual(["erreichbar"]);
    for (const [query, language, id] of [
      ["wanneer zijn jullie bereikbaar", "nl", "openingstijden"],
      ["Hallo, wie sind eure Öffnungszeiten?", "de", "erreichbarkeit"],
    ] as const) {
      const hit = await best(query, language);
      expect(hit?.entry.id).toBe(id);
      expect(hit!.relevance).toBeGreaterThanOrEqual(threshold);
    }
  });

  it("answers a customer only in their language when the tenant wrote entries in it, and from any language when it wrote none", async () => {
    // Spanish has an entry (opening hours) but no price entry: a Spanish price question must not get the Portuguese one.
    const spanish = await kb.search("t", "¿y cuánto cuesta?", { language: "es" });
    expect(spanish.filter((hit) => hit.relevance >= threshold).map((hit) => hit.entry.language)).not.toContain("pt");
    expect(spanish.every((hit) => hit.entry.language === "es")).toBe(true);
    // No German entries at all: an English entry may still answer, discounted.
    const { kb: englishOnly } = knowledgeBase(demoKnowledge.filter((entry) => entry.language === "en"));
    const german = (await englishOnly.search("t", "HubSpot Salesforce integrations?", { language: "de" }))[0];
    expect(german?.entry.id).toBe("integrations");
    expect(german!.relevance).toBeLessThan(1);
  });

  it("lists a tenant's entries of one kind in one language", async () => {
    expect((await kb.ofKind("t", "price", "en")).map((entry) => entry.id)).toEqual(["price-ranges"]);
    expect((await kb.ofKind("t", "price", "pt")).map((entry) => entry.id)).toEqual(["precos"]);
    expect(await kb.ofKind("t", "price", "de")).toEqual([]);
  });

  it("weighs a word most entries share less than one few or none do", async () => {
    const entry = (id: string, title: string, body: string): KnowledgeEntry => ({ id, kind: "faq", title, body, language: "en" });
    const { kb } = knowledgeBase([
      entry("hours", "Acme support hours", "Acme support answers on WhatsApp from 9 to 18."),
      entry("trial", "Acme trial", "Every Acme plan has a 14-day trial, with support on WhatsApp."),
      entry("setup", "Acme setup", "Connecting WhatsApp to Acme takes an hour; support helps."),
      entry("security", "Acme security", "Acme encrypts every WhatsApp message at rest."),
    ]);
    // Three of four words covered, but the three every entry has: the question is about groups.
    const [groups] = await kb.search("t", "Does Acme support WhatsApp groups?", { language: "en" });
    expect(groups === undefined || groups.relevance < threshold).toBe(true);
    const [trial] = await kb.search("t", "How long is the Acme trial?", { language: "en" });
    expect(trial).toMatchObject({ entry: { id: "trial" } });
    expect(trial!.relevance).toBeGreaterThanOrEqual(threshold);
  });

  it.each([
    "Do you have an office in Tokyo?",
    "Can your product make coffee?",
    "who won the football match yesterday",
    "Hi, do you support WhatsApp groups?",
    "how do I get started?",
    "can I connect two WhatsApp numbers?",
    // The trial entry says "no credit card required": two of three words, but nothing about paying.
    "can I pay with credit card?",
  ])("finds nothing relevant for %j", async (query) => {
    const hit = await best(query);
    expect(hit === undefined || hit.relevance < threshold).toBe(true);
  });

  it("counts a number as covered only where the entry writes it beside the words the question does", async () => {
    // The setup entry says "their WhatsApp number" and "one to two weeks": "two" and "number" both, but not two numbers.
    expect(topicTerms("can I connect two WhatsApp numbers?")).toContain("two");
    for (const [query, language] of [
      ["can I connect two WhatsApp numbers?", "en"],
      ["¿puedo conectar dos números de WhatsApp?", "es"],
    ] as const) {
      const hit = await best(query, language);
      expect(hit === undefined || hit.relevance < threshold, query).toBe(true);
    }
    // Without the count, the same words are the setup question.
    expect((await best("how do I connect my WhatsApp number?"))?.entry.id).toBe("setup-time");
  });

  it("builds a tenant's index once for many questions asked at once, again once after an edit, and retries after a failed read", async () => {
    const { kb: fresh, source, replace } = knowledgeBase(demoKnowledge);
    const askAll = () => Promise.all(Array.from({ length: 50 }, () => fresh.search("t", "is there a free trial", { language: "en" })));
    const answers = await askAll();
    expect(answers.every((hits) => hits[0]?.entry.id === "free-trial")).toBe(true);
    expect(source.reads).toBe(1);

    replace(demoKnowledge.filter((e) => e.id !== "free-trial"));
    const afterEdit = await askAll();
    expect(afterEdit.every((hits) => hits.every((h) => h.entry.id !== "free-trial"))).toBe(true);
    expect(source.reads).toBe(2);

    replace(demoKnowledge);
    source.failNextRead = true;
    const failed = await Promise.allSettled(Array.from({ length: 5 }, () => fresh.search("t", "free trial", { language: "en" })));
    expect(failed.every((outcome) => outcome.status === "rejected")).toBe(true);
    expect(source.reads).toBe(3);
    expect((await fresh.search("t", "free trial", { language: "en" }))[0]?.entry.id).toBe("free-trial");
    expect(source.reads).toBe(4);
  });

  it("rebuilds the index when the tenant's entries change", async () => {
    const { kb: fresh, replace } = knowledgeBase(demoKnowledge.slice(0, 1));
    expect((await fresh.search("t", "free trial", { language: "en" })).some((h) => h.entry.id === "free-trial")).toBe(false);
    replace(demoKnowledge);
    expect((await fresh.search("t", "free trial", { language: "en" }))[0]?.entry.id).toBe("free-trial");
    expect(await fresh.get("t", "free-trial")).toMatchObject({ kind: "faq" });
  });
});
