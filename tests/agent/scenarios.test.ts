/**
 * Multi-turn conversations through the whole backend (signed webhooks in, Graph API calls out), with
 * the built-in engine and the sandbox's approved knowledge base.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZAgentSettings } from "@salesbot/shared";
import { AppError } from "../../backend/src/domain/errors.js";
import { demoKnowledge } from "../../backend/src/sandbox/demo-knowledge.js";
import { queueOutbound } from "../../backend/src/use-cases/queue-outbound.js";
import { startTestBackend, type TestBackend } from "../support/backend.js";
import { Customer } from "../support/chat.js";

const TENANT = "default";
let waIds = 16505559000;

describe("conversation scenarios with the built-in agent", () => {
  let t: TestBackend;
  const customer = (name = "Ana Lima") => new Customer(t, String(waIds++), name);
  /** The customer writes `text`, is told a person takes over, and the conversation's handoff is returned. */
  const handedOffAfter = async (who: Customer, text: string) => {
    const [notice] = await who.says(text);
    expect(notice).toMatch(/member of our team/);
    return (await who.conversation()).conversation.agent.handoff;
  };

  beforeAll(async () => {
    t = await startTestBackend();
    await t.backend.store.transaction((tx) => tx.replaceKnowledge(TENANT, demoKnowledge, Date.now()));
    await t.backend.store.putAgentSettings(TENANT, ZAgentSettings.parse({ companyName: "Acme" }), Date.now());
  });
  afterAll(async () => t.close());

  it("qualifies a lead one question at a time, never asking what it was already told", async () => {
    const ana = customer();
    const replies = [
      ...(await ana.says("Hi")),
      ...(await ana.says("We want to answer WhatsApp leads from inside our CRM")),
      ...(await ana.says("We are 25 people in sales")),
      ...(await ana.says("next month")),
      ...(await ana.says("our budget is around 8000 euros")),
    ];
    expect(replies[0]).toMatch(/Acme/);
    const questions = replies.filter((r) => r.includes("?"));
    expect(new Set(questions).size).toBe(questions.length);
    for (const reply of replies) expect(reply.split("?").length - 1).toBeLessThanOrEqual(1);
    expect(replies.join(" ")).not.toMatch(/How many people/);
    // Three answers in a row are not acknowledged with the same words.
    const acknowledgements = questions.map((q) => q.slice(0, q.indexOf(".") + 1)).filter((a) => a.length > 0);
    expect(acknowledgements.length).toBeGreaterThanOrEqual(2);
    expect(new Set(acknowledgements).size).toBe(acknowledgements.length);
    const { conversation } = await ana.conversation();
    expect(conversation.agent.qualification).toMatchObject({ company_size: 25, timeline: "next month", budget: 8000, budget_currency: "EUR" });
    expect(conversation.agent.qualification.need).toMatch(/WhatsApp leads/);
    expect(conversation.agent.leadScore).toBeGreaterThan(30);
    expect(conversation.mode).toBe("bot");
  });

  it("takes \"no budget yet\" as an answer to its question, not as a question for a person", async () => {
    const rui = customer("Rui Costa");
    for (const text of ["Hi", "We sell solar panels and want to qualify leads on WhatsApp", "Growth", "12", "asap"]) await rui.says(text);
    const [reply] = await rui.says("no budget yet");
    expect(reply).not.toMatch(/member of our team/);
    const { conversation } = await rui.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.handoff).toBeNull();
    expect(conversation.agent.askedFields).toContain("budget");
    expect(await rui.says("Does it work with Salesforce?")).toEqual([demoKnowledge.find((k) => k.id === "integrations")!.body]);
  });

  it("does not take a greeting or a question of the customer's as the answer to its own question", async () => {
    const sam = customer("Sam");
    await sam.says("Hi");
    await sam.says("Hello??");
    await sam.says("anyone there?");
    const { qualification } = (await sam.conversation()).conversation.agent;
    expect(qualification.need).toBeNull();
    expect(qualification.product_interest).toBeNull();
  });

  it("takes an answer to its own question that it can hardly classify as that answer, and goes on qualifying", async () => {
    const zoe = customer("Zoe Park");
    await zoe.says("Hi");
    const [next] = await zoe.says("I need a WhatsApp bot for my sales team");
    expect(next).not.toMatch(/member of our team/);
    expect(next).toMatch(/\?/);
    const { conversation } = await zoe.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification.need).toMatch(/WhatsApp bot/);
  });

  it("answers a routine question written in capitals, and still hands a shouted complaint to a person", async () => {
    const caps = customer("Max");
    const [answer] = await caps.says("HI DO YOU WORK WITH SALESFORCE");
    expect(answer).toMatch(/Salesforce/);
    expect((await caps.conversation()).conversation.mode).toBe("bot");
    const upset = customer("Moe");
    await upset.says("I HAVE BEEN WAITING FOR 3 DAYS");
    expect((await upset.conversation()).conversation.agent.handoff).toMatchObject({ reason: "complaint", priority: "urgent" });
  });

  it("takes a short answer to its question for the answer, whatever else the classifier half-reads in it", async () => {
    const firm = customer("Liv");
    await firm.says("hi");
    await firm.says("we are a law firm, 25 lawyers, we want to answer clients on whatsapp");
    await firm.says("the Pro plan");
    expect(await firm.says("this quarter")).toEqual([expect.stringMatching(/budget/i)]);
    const { conversation } = await firm.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification).toMatchObject({ company_size: 25, product_interest: "Pro", timeline: "this quarter" });
  });

  it("takes a one-word answer the classifier half-reads as small talk for the answer (\"logo\", Portuguese for soon)", async () => {
    const ana = customer("Ana");
    for (const text of ["olá", "queremos whatsapp no hubspot", "Growth", "uns 10"]) await ana.says(text);
    expect(await ana.says("logo")).toEqual([expect.stringMatching(/orçamento/)]);
    expect((await ana.conversation()).conversation.agent.qualification).toMatchObject({ timeline: "logo", company_size: 10, product_interest: "Growth" });
  });

  it("closes qualification the same way when the last question is passed over (\"no budget yet\")", async () => {
    const kim = customer("Kim");
    for (const text of ["hi", "we want whatsapp leads in hubspot", "Starter or Growth, not sure", "around 8", "in Q2"]) await kim.says(text);
    expect(await kim.says("no budget yet")).toEqual(["Thank you, that helps a lot. Is there anything else I can help you with?"]);
    expect((await kim.conversation()).conversation.mode).toBe("bot");
  });

  it("reads \"and for Enterprise?\" as the last question again, and still never guesses at what no entry covers", async () => {
    const trial = demoKnowledge.find((k) => k.id === "free-trial")!.body;
    const fay = customer("Fay");
    await fay.says("hi");
    expect(await fay.says("is there a free trial?")).toEqual([trial]);
    expect(await fay.says("and for Enterprise?")).toEqual([trial]);
    const gil = customer("Gil");
    await gil.says("hi");
    await gil.says("do you integrate with hubspot?");
    expect(await gil.says("what about pipedrive?")).toEqual([expect.stringMatching(/^I'm passing you to a member of our team/)]);
    expect((await gil.conversation()).conversation.agent.handoff).toMatchObject({ reason: "unknown_answer" });
  });

  it("takes a month of a year gone by for history, not for when the customer means to buy", async () => {
    const lastYearButOne = new Date().getUTCFullYear() - 2;
    const lead = customer("Lou");
    await lead.says(`Hi, we moved to HubSpot in March ${lastYearButOne} and want to answer WhatsApp leads from it`);
    const { conversation } = await lead.conversation();
    expect(conversation.agent.qualification).toMatchObject({ timeline: null, need: expect.stringMatching(/WhatsApp leads/) });
  });

  it("takes a first message full of facts as the answers they are: no person, no question it was already answered", async () => {
    const cases = [
      {
        text: "Hi, we are a team of 12 sales reps and want to answer WhatsApp leads from HubSpot. Budget around 500 euros a month, we'd like to start next month.",
        known: { company_size: 12, budget: 500, timeline: "next month" },
      },
      { text: "Hello! We're a 40 person company looking for a WhatsApp bot for our CRM, need it within 2 weeks", known: { company_size: 40, timeline: "within 2 weeks" } },
      { text: "Hey, we need a WhatsApp sales assistant for our 8-person team, starting in January", known: { company_size: 8, timeline: "starting in January" } },
    ];
    for (const { text, known } of cases) {
      const lead = customer("Kim");
      const [reply] = await lead.says(text);
      expect(reply, text).not.toMatch(/member of our team/);
      expect(reply, text).toMatch(/\?/);
      expect(reply, text).not.toMatch(/what are you looking to solve|how many people|when would you like to have this/i);
      const { conversation } = await lead.conversation();
      expect(conversation.mode).toBe("bot");
      expect(conversation.agent.qualification).toMatchObject(known);
      expect(conversation.agent.qualification.need).toMatch(/WhatsApp/);
    }
  });

  it("does not ask for the plan a customer named, and takes a bare figure as the budget it asked for", async () => {
    const lee = customer("Lee");
    const replies = [...(await lee.says("Hi")), ...(await lee.says("We're interested in the Growth plan")), ...(await lee.says("About 15 people")), ...(await lee.says("asap")), ...(await lee.says("maybe 300 a month"))];
    expect(replies.join(" ")).not.toMatch(/Which of our products or plans/);
    expect(replies.at(-1)).not.toMatch(/budget/);
    const { conversation } = await lee.conversation();
    expect(conversation.agent.qualification).toMatchObject({ product_interest: "Growth", company_size: 15, timeline: "asap", budget: 300 });
    const sol = customer("Sol");
    await sol.says("Hola");
    await sol.says("Necesitamos atender clientes por WhatsApp desde Salesforce");
    const [afterCount] = await sol.says("somos 20");
    expect(afterCount).not.toMatch(/Cuántas personas/);
    expect((await sol.conversation()).conversation.agent.qualification).toMatchObject({ company_size: 20, product_interest: null });
  });

  it("takes a late answer to an earlier question, asks the skipped one again, and reads a lone plan name", async () => {
    const lex = customer("Lex");
    const turns: Array<[string, string]> = [];
    for (const text of ["hi", "We're a law firm", "We'd like clients to book consultations through WhatsApp", "Pro", "around 25 lawyers", "before summer", "not decided yet"]) {
      const [reply] = await lex.says(text);
      turns.push([text, reply ?? ""]);
    }
    for (const [, reply] of turns) expect(reply).not.toMatch(/member of our team/);
    // The need came late, while the plan was being asked: the plan is asked again, and "Pro" answers it.
    expect(turns[2]![1]).toMatch(/Which of our products or plans/);
    expect(turns[3]![1]).toMatch(/How many people/);
    const { conversation } = await lex.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification).toMatchObject({ product_interest: "Pro", company_size: 25, timeline: "before summer", budget: null });
    expect(conversation.agent.qualification.need).toMatch(/book consultations/);
  });

  it("says plainly that it is an automated assistant when asked, in the customer's language", async () => {
    expect(await customer("Ray").says("Is this a bot?")).toEqual([expect.stringMatching(/^Yes, I'm the virtual assistant of Acme, an automated program\./)]);
    expect(await customer("Rosa").says("¿Eres un bot?")).toEqual([expect.stringMatching(/^Sí, soy el asistente virtual de Acme/)]);
    expect(await customer("Rolf").says("Bin ich mit einem Bot verbunden? Spreche ich mit einem Menschen?")).toEqual([expect.stringMatching(/^Ja, ich bin der virtuelle Assistent/)]);
    // "Who am I talking to?" is no yes-or-no question, and no question for a person.
    expect(await customer("Rui").says("who am I talking to?")).toEqual([expect.stringMatching(/^I'm the virtual assistant of Acme, an automated program\./)]);
    expect(await customer("Rocío").says("¿Con quién hablo?")).toEqual([expect.stringMatching(/^Soy el asistente virtual de Acme/)]);
  });

  it("greets a customer who asks whether anyone is there, instead of calling a person", async () => {
    expect(await customer("Al").says("anyone there?")).toEqual(["Hi Al! I'm the virtual assistant of Acme. How can I help you today?"]);
    expect(await customer("Uta").says("ist da jemand?")).toEqual([expect.stringMatching(/^Hallo Uta! Ich bin der virtuelle Assistent von Acme\./)]);
  });

  it("tells a customer who checks they reached the company that they did, and who is answering", async () => {
    const rik = customer("Rik Smit");
    expect(await rik.says("Hi, is this Acme?")).toEqual(["Hi Rik! I'm the virtual assistant of Acme. How can I help you today?"]);
    expect(await customer("Ute").says("Hallo, ist das Acme?")).toEqual([expect.stringMatching(/^Hallo Ute! Ich bin der virtuelle Assistent von Acme\./)]);
    const rosa = customer("Rosa");
    await rosa.says("we want WhatsApp leads in HubSpot");
    expect(await rosa.says("wait, is this Acme?")).toEqual([expect.stringMatching(/^Yes, I'm the virtual assistant of Acme/)]);
    for (const who of [rik, rosa]) expect((await who.conversation()).conversation.mode).toBe("bot");
  });

  it("asks with what, instead of calling a person, when a customer only asks for help", async () => {
    const pat = customer("Pat Lee");
    expect(await pat.says("I need help")).toEqual([expect.stringMatching(/^Hi Pat! I'm the virtual assistant of Acme\. How can I help you today\?$/)]);
    expect(await pat.says("We want WhatsApp leads in Salesforce")).toEqual([expect.stringMatching(/Which of our products or plans/)]);
    const sol = customer("Sol");
    await sol.says("Hola");
    expect(await sol.says("tengo una pregunta")).toEqual(["Claro. ¿En qué te puedo ayudar?"]);
    for (const who of [pat, sol]) expect((await who.conversation()).conversation.mode).toBe("bot");
  });

  it("answers a lone \"?\" with its open question, or by asking with what, instead of calling a person", async () => {
    const ola = customer("Ola");
    await ola.says("hi");
    await ola.says("we want WhatsApp in HubSpot");
    expect(await ola.says("?")).toEqual(["Which of our products or plans are you interested in?"]);
    expect(await customer("Pia").says("??")).toEqual([expect.stringMatching(/^Hi Pia! I'm the virtual assistant of Acme/)]);
    expect((await ola.conversation()).conversation.mode).toBe("bot");
  });

  it("takes a plan named after its question was passed over, and asks what is still unknown when asked what else it needs", async () => {
    const uma = customer("Uma");
    await uma.says("hello");
    await uma.says("our budget is 500 per month");
    await uma.says("we are 8");
    await uma.says("asap");
    await uma.says("Growth");
    expect((await uma.conversation()).conversation.agent.qualification.product_interest).toBe("Growth");
    expect(await uma.says("what else do you need?")).toEqual(["What are you looking to solve? A sentence or two is plenty."]);
    expect((await uma.conversation()).conversation.mode).toBe("bot");
  });

  it("answers from a source a question the classifier only guesses is a request for a person", async () => {
    const jan = customer("Jan");
    expect(await jan.says("Guten Tag, wir sind ein Autohaus mit 40 Mitarbeitern. Bieten Sie eine Testphase an?")).toEqual([demoKnowledge.find((k) => k.id === "testphase")!.body]);
    const { conversation } = await jan.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification.company_size).toBe(40);
    expect(await customer("Eva").says("¿Ofrecen una prueba gratis?")).toEqual([demoKnowledge.find((k) => k.id === "prueba-gratis")!.body]);
  });

  it("reads \"How can I help?\" answered with a request as the request, and a need it can hardly classify as the need", async () => {
    const kim = customer("Kim");
    await kim.says("Hi");
    expect(await kim.says("stop asking, just tell me the price")).toEqual([demoKnowledge.find((k) => k.id === "price-ranges")!.body]);
    expect((await kim.conversation()).conversation.agent.qualification.need).toBeNull();
    const lee = customer("Lee");
    await lee.says("Hi");
    expect(await lee.says("a WhatsApp bot for our sales team")).toEqual([expect.stringMatching(/Which of our products or plans/)]);
    expect((await lee.conversation()).conversation.agent.qualification.need).toBe("a WhatsApp bot for our sales team");
    const max = customer("Mo");
    await max.says("Hi");
    await max.says("no more questions please");
    expect((await max.conversation()).conversation.agent.qualification.need).toBeNull();
  });

  it("stops qualifying when asked to, and keeps what it is told afterwards", async () => {
    const nia = customer("Nia");
    await nia.says("Hi");
    await nia.says("we want WhatsApp leads in HubSpot");
    expect(await nia.says("no more questions please")).toEqual(["Of course, no more questions. Write here whenever you need anything."]);
    const [after] = await nia.says("we are 20 people in sales");
    expect(after).not.toMatch(/products or plans|How many people|When would you like|budget/);
    expect((await nia.conversation()).conversation.agent.qualification.company_size).toBe(20);
    expect(await nia.says("Is there a free trial?")).toEqual([demoKnowledge.find((k) => k.id === "free-trial")!.body]);
  });

  it("does not store a buyer's question as their need", async () => {
    const quinn = customer("Quinn");
    await quinn.says("Hey, quick question: can I connect two WhatsApp numbers?");
    expect((await quinn.conversation()).conversation.agent.qualification.need).toBeNull();
  });

  it("answers a question asked between its own question and the answer, asks its question again, and takes the answer", async () => {
    const zoe = customer("Zoe");
    await zoe.says("Hello");
    expect(await zoe.says("we sell insurance and want to answer leads faster on whatsapp")).toEqual([expect.stringMatching(/Which of our products or plans/)]);
    const trial = demoKnowledge.find((k) => k.id === "free-trial")!.body;
    expect(await zoe.says("is there a free trial?")).toEqual([`${trial}\n\nWhich of our products or plans are you interested in?`]);
    expect(await zoe.says("Starter")).toEqual([expect.stringMatching(/How many people/)]);
    await zoe.says("3 of us");
    expect(await zoe.says("no rush")).toEqual([expect.stringMatching(/budget/)]);
    expect((await zoe.conversation()).conversation.agent.qualification).toMatchObject({ product_interest: "Starter", company_size: 3, timeline: "no rush" });
  });

  it("says why it asks, and takes laughter as no answer at all", async () => {
    const ivy = customer("Ivy");
    await ivy.says("hi");
    await ivy.says("we want WhatsApp in HubSpot");
    const [why] = await ivy.says("why do you ask?");
    expect(why).toMatch(/^So that our team can prepare the right offer for you\. You can skip any question\. Which of our products or plans/);
    const [next] = await ivy.says("haha ok");
    expect(next).toMatch(/How many people/);
    const [again] = await ivy.says("Growth");
    expect(again).toMatch(/How many people/);
    const { conversation } = await ivy.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification.product_interest).toBe("Growth");
  });

  it("hands a buyer's question the approved entries do not answer to a person", async () => {
    const bo = customer("Bo");
    await bo.says("hi");
    await bo.says("we want it");
    expect(await handedOffAfter(bo, "how do we sign up?")).toMatchObject({ reason: "unknown_answer", team: "sales" });
  });

  it("answers a question the classifier takes for small talk as the question it is", async () => {
    const gus = customer("Gus");
    await gus.says("hey");
    expect(await gus.says("is it GDPR compliant?")).toEqual([expect.stringContaining(demoKnowledge.find((k) => k.id === "data-protection")!.body)]);
    expect(await handedOffAfter(gus, "ok and where are your servers located?")).toMatchObject({ reason: "unknown_answer" });
  });

  it("hands a big lead to sales once it has answered every question, and keeps a small one with the bot", async () => {
    const tom = customer("Tom");
    const replies: string[] = [];
    for (const text of ["hello", "I'm Tom from Initech, we want to automate WhatsApp replies", "Enterprise", "200", "Q1"]) replies.push(...(await tom.says(text)));
    expect(replies.join(" ")).not.toMatch(/member of our team/);
    expect(replies.at(-1)).toMatch(/budget/);
    expect(await handedOffAfter(tom, "50k")).toMatchObject({ reason: "high_value_lead", priority: "high", team: "sales" });
    expect((await tom.conversation()).conversation.agent.qualification).toMatchObject({ company_size: 200, budget: 50_000, timeline: "Q1", product_interest: "Enterprise" });

    const ida = customer("Ida");
    for (const text of ["hello", "we want to answer WhatsApp from our CRM", "Starter", "3", "next month"]) await ida.says(text);
    expect(await ida.says("100 euros")).not.toContainEqual(expect.stringMatching(/member of our team/));
    expect((await ida.conversation()).conversation.mode).toBe("bot");
  });

  it("hands a request for a demo to a person soon, unless an approved entry books it", async () => {
    expect(await handedOffAfter(customer("Dee"), "Good morning, can I get a demo next week?")).toMatchObject({ reason: "human_requested", priority: "high", team: "sales" });
    const booking = { id: "book-demo", kind: "faq" as const, title: "Book a demo", body: "You can book a 30-minute demo at https://acme.example/demo.", language: "en" as const };
    await t.backend.store.transaction((tx) => tx.replaceKnowledge(TENANT, [...demoKnowledge, booking], Date.now()));
    try {
      const [reply] = await customer("Eve").says("Can I book a demo next week?");
      expect(reply).toContain(booking.body);
    } finally {
      await t.backend.store.transaction((tx) => tx.replaceKnowledge(TENANT, demoKnowledge, Date.now()));
    }
  });

  it("says goodbye to thanks and farewells, instead of greeting again or asking the next question", async () => {
    const lu = customer("Lu");
    expect(await lu.says("Is there a free trial?")).toEqual([demoKnowledge.find((k) => k.id === "free-trial")!.body]);
    expect(await lu.says("Thanks, bye!")).toEqual(["Happy to help! Write here any time if anything else comes up."]);
    expect((await lu.conversation()).conversation.mode).toBe("bot");
    expect(await customer("Mo").says("Obrigado!")).toEqual(["Disponha! Escreva aqui quando quiser se precisar de mais alguma coisa."]);
    expect((await customer("Ny").says("Hello"))[0]).toMatch(/virtual assistant of Acme/);
  });

  it("reads a thumbs-up without answering it or calling a person", async () => {
    const oz = customer("Oz");
    await oz.says("Is there a free trial?");
    expect(await oz.says("👍")).toEqual([]);
    expect(await oz.says("🙏🏼")).toEqual([]);
    const { conversation } = await oz.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.handoff).toBeNull();
    expect(await oz.says("How long does setup take?")).toEqual([demoKnowledge.find((k) => k.id === "setup-time")!.body]);
  });

  it("answers a question that opens with a greeting from the approved source", async () => {
    const cy = customer("Cy");
    expect(await cy.says("Hi, is there a free trial?")).toEqual([demoKnowledge.find((k) => k.id === "free-trial")!.body]);
    expect((await cy.conversation()).conversation.mode).toBe("bot");
  });

  it("greets a visitor who is just browsing instead of calling a person, in their language", async () => {
    for (const [name, text, greeting] of [
      ["Vi", "Hi, I am just browsing", /^Hi Vi!/],
      ["Eva", "Hola, solo estoy mirando", /^¡Hola Eva!/],
      ["Jan", "Hallo, ich schaue mich nur um", /Assistent/],
    ] as const) {
      const visitor = customer(name);
      const replies = await visitor.says(text);
      expect(replies).toEqual([expect.stringMatching(greeting)]);
      const { conversation } = await visitor.conversation();
      expect(conversation.mode).toBe("bot");
      expect(conversation.agent.handoff).toBeNull();
      expect(conversation.agent.qualification.need).toBeNull();
    }
  });

  it("answers how the handoff to a person works from its source, rather than taking the question for a request", async () => {
    const ida = customer("Ida");
    await ida.says("Hi");
    expect(await ida.says("how does the handoff to a human work?")).toEqual([demoKnowledge.find((k) => k.id === "handoff")!.body]);
    expect((await ida.conversation()).conversation.mode).toBe("bot");
  });

  it("answers a question about the product that names no topic with the tenant's overview, in the customer's language", async () => {
    const body = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    // A first message that asks what the product does is answered, then asked what the lead would use it for.
    expect(await customer("Lou").says("how does it work?")).toEqual([`${body("overview")}\n\nWhat are you looking to solve? A sentence or two is plenty.`]);
    expect(await customer("Ines").says("O que vocês fazem?")).toEqual([`${body("visao-geral")}\n\nO que você gostaria de resolver? Uma ou duas frases bastam.`]);
    const [german] = await customer("Kai").says("Wie funktioniert das?");
    expect(german!.startsWith(`${body("ueberblick")}\n\n`) && german!.includes("?", body("ueberblick").length)).toBe(true);
    // Asked "How can I help?" already, the lead is not asked it again.
    const sam = customer("Sam");
    await sam.says("Hi");
    expect(await sam.says("how does it work?")).toEqual([body("overview")]);
    // The facts around the question are qualification; the question alone is what is asked.
    const max = customer("Max");
    expect(await max.says("Hi! We are a real estate agency with 8 agents. We get lots of WhatsApp leads and lose many of them. Can your tool help?")).toEqual([body("overview")]);
    const { conversation } = await max.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification).toMatchObject({ company_size: 8, need: "We get lots of WhatsApp leads and lose many of them." });
  });

  it("answers a lead who asks for information with the overview, and takes \"Saw your ad. Interested\" for no need", async () => {
    const body = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    for (const [text, id] of [
      ["Hello, I would like more information about your product please", "overview"],
      ["Olá, gostaria de saber mais", "visao-geral"],
      ["Hola, quisiera más información", "resumen"],
      ["Goedemiddag, ik zou graag meer informatie willen", "overzicht"],
      ["Hallo, ich hätte gerne Infos", "ueberblick"],
    ] as const) {
      const lead = customer("Lee");
      const [reply] = await lead.says(text);
      expect(reply!.startsWith(`${body(id)}\n\n`) && reply!.includes("?", body(id).length), `${text} → ${reply}`).toBe(true);
      expect((await lead.conversation()).conversation.mode, text).toBe("bot");
    }
    const fan = customer("Fan");
    expect(await fan.says("Hi! Saw your ad on Instagram. Interested")).toEqual(["What are you looking to solve? A sentence or two is plenty."]);
    const { conversation } = await fan.conversation();
    expect(conversation.mode).toBe("bot");
    expect(conversation.agent.qualification.need).toBeNull();
    expect(await fan.says("we get 200 WhatsApp leads a day and lose half of them")).toEqual([expect.stringMatching(/plans? are you interested in\?$/)]);
    expect((await fan.conversation()).conversation.agent.qualification.need).toBe("we get 200 WhatsApp leads a day and lose half of them");
  });

  it("answers the opening hours in Portuguese, Dutch and German from the entries in those languages", async () => {
    const body = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    expect(await customer("Rita").says("Qual é o horário de atendimento?")).toEqual([body("horario")]);
    expect(await customer("Joost").says("Wat zijn jullie openingstijden?")).toEqual([body("openingstijden")]);
    expect(await customer("Uwe").says("Wann seid ihr erreichbar?")).toEqual([body("erreichbarkeit")]);
  });

  it("answers \"do you speak my language?\" in each language it speaks, and business hours as opening hours", async () => {
    const source = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    expect(await customer("Eva").says("Hola! Hablan español?")).toEqual([source("idiomas")]);
    expect(await customer("Ivo").says("Olá, vocês falam português?")).toEqual([source("idiomas-pt")]);
    expect(await customer("Jan").says("Spreken jullie Nederlands?")).toEqual([source("talen")]);
    expect(await customer("Jens").says("Sprechen Sie Deutsch?")).toEqual([source("sprachen")]);
    expect(await customer("Bo").says("Good evening. What are your business hours?")).toEqual([source("opening-hours")]);
    // French is not among them: a person answers, in English rather than in the supported language French looks most like.
    expect(await customer("Luc").says("Bonjour, vous parlez français ?")).toEqual([expect.stringMatching(/^I'm passing you to a member of our team/)]);
  });

  it("answers routine questions about data protection and languages from their sources", async () => {
    const source = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    expect(await customer("Gus").says("Is it GDPR compliant?")).toEqual([source("data-protection")]);
    expect(await customer("Hal").says("What languages do you support?")).toEqual([source("languages")]);
  });

  it("answers the question of a message that also says who is asking, and leaves no question of a message unanswered", async () => {
    const hours = demoKnowledge.find((k) => k.id === "opening-hours")!.body;
    expect(await customer("Di").says("What are your opening hours? This is customer 12345, I want to call you.")).toEqual([hours]);
    const ed = customer("Ed");
    const [notice] = await ed.says("What are your opening hours? And do you support SAP?");
    expect(notice).toMatch(/member of our team/);
    expect((await ed.conversation()).conversation.agent.handoff).toMatchObject({ reason: "unknown_answer" });
    const fay = customer("Fay");
    expect(await fay.says("Do you integrate with HubSpot? Which CRM integrations do you support?")).toEqual([demoKnowledge.find((k) => k.id === "integrations")!.body]);
  });

  it("answers two questions joined by \"and\" in one sentence, each from its source", async () => {
    const body = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    expect(await customer("Abe").says("Hi, what integrations do you have and is there a trial?")).toEqual([`${body("integrations")}\n\n${body("free-trial")}`]);
  });

  it("answers every question of a message from its own source, each source once, in the order asked", async () => {
    const body = (id: string) => demoKnowledge.find((k) => k.id === id)!.body;
    expect(await customer("Ivy").says("Do you integrate with HubSpot? Is there a free trial?")).toEqual([`${body("integrations")}\n\n${body("free-trial")}`]);
    expect(await customer("Jo").says("What are your opening hours? Is it GDPR compliant?")).toEqual([`${body("opening-hours")}\n\n${body("data-protection")}`]);
    const kai = customer("Kai");
    expect(await kai.says("Is it GDPR compliant? Where is my data stored? Do you integrate with Salesforce?")).toEqual([`${body("data-protection")}\n\n${body("integrations")}`]);
    expect((await kai.conversation()).conversation.mode).toBe("bot");
  });

  it("answers from approved sources, quotes the published range, and hands off for a discount", async () => {
    const bo = customer("Bo");
    expect(await bo.says("Do you integrate with HubSpot?")).toEqual([demoKnowledge.find((k) => k.id === "integrations")!.body]);
    const [price] = await bo.says("How much does it cost?");
    expect(price).toContain("€29 per user per month");
    const [notice] = await bo.says("Can you give us 20% off if we take 50 seats?");
    expect(notice).toMatch(/member of our team/);
    const { conversation } = await bo.conversation();
    expect(conversation.mode).toBe("waiting");
    expect(conversation.agent.handoff).toMatchObject({ reason: "pricing_or_contract", team: "sales" });
    expect(conversation.agent.handoff!.summary.unansweredQuestion).toMatch(/20% off/);
    expect(await bo.says("hello?")).toEqual([]);
  });

  it("answers a bare \"how much is it?\" with the price list in the customer's language, and nothing it does not cover", async () => {
    const tia = customer("Tia");
    await tia.says("hi");
    expect(await tia.says("how much is it?")).toEqual([demoKnowledge.find((k) => k.id === "price-ranges")!.body]);
    expect(await customer("Uri").says("quanto é?")).toEqual([demoKnowledge.find((k) => k.id === "precos")!.body]);
    expect(await handedOffAfter(customer("Vic"), "How much does the SMS add-on cost?")).toMatchObject({ reason: "unknown_answer" });
  });

  it("hands what a given number of seats would cost to sales as a quote, not the list price", async () => {
    expect(await handedOffAfter(customer("Gil"), "How much does the Pro plan cost for 50 users?")).toMatchObject({ reason: "pricing_or_contract", team: "sales" });
  });

  it("answers a Spanish customer in Spanish, and hands a question only a Portuguese entry covers to a person", async () => {
    const pilar = customer("Pilar");
    expect(await pilar.says("¿Cuál es el horario de atención?")).toEqual([demoKnowledge.find((k) => k.id === "horarios")!.body]);
    const [notice] = await pilar.says("¿y cuánto cuesta?");
    expect(notice).not.toBe(demoKnowledge.find((k) => k.id === "precos")!.body);
    expect((await pilar.conversation()).conversation.agent.handoff).toMatchObject({ reason: "unknown_answer" });
  });

  it("hands a buyer for a large team to sales at once, as a high-value lead", async () => {
    const quinn = customer("Quinn");
    expect(await handedOffAfter(quinn, "I want to buy 200 licenses of Enterprise")).toMatchObject({ reason: "high_value_lead", priority: "high", team: "sales" });
    expect((await quinn.conversation()).conversation.agent.qualification.company_size).toBe(200);
  });

  it("hands a large company that says what it needs to sales at once, even when the classifier cannot tell what the message is", async () => {
    const ceo = customer("Dana");
    expect(await handedOffAfter(ceo, "I am the CEO of Globex, we have 2000 employees and want to roll this out company wide")).toMatchObject({ reason: "high_value_lead", priority: "high", team: "sales" });
    expect((await ceo.conversation()).conversation.agent.qualification).toMatchObject({ company_size: 2000, need: expect.stringMatching(/roll this out/) });
  });

  it("never guesses: a question the sources do not answer goes to a person", async () => {
    expect(await handedOffAfter(customer("Cy"), "Do you have an office in Tokyo?")).toMatchObject({ reason: "unknown_answer" });
  });

  it("hands an upset customer to support mid-qualification, urgently, with a readable summary", async () => {
    const di = customer("Di Prince");
    await di.says("We are 12 people and need a better inbox");
    const [notice] = await di.says("This is ridiculous, your app lost all my messages!!!");
    expect(notice).toMatch(/member of our team/);
    const handoff = (await di.conversation()).conversation.agent.handoff!;
    expect(handoff).toMatchObject({ reason: "complaint", priority: "urgent", team: "support" });
    expect(handoff.summary).toMatchObject({ sentiment: "negative", urgency: "high", language: "en" });
    expect(handoff.summary.text).toMatch(/Di Prince/);
    expect(handoff.summary.text).toMatch(/team of 12/);
  });

  it("opts a customer out on STOP, confirms once, blocks business-initiated messages until START", async () => {
    const ed = customer("Ed");
    await ed.says("Hi");
    const [confirmation] = await ed.says("STOP");
    expect(confirmation).toMatch(/won't receive any more messages/);
    const { conversation, contact } = await ed.conversation();
    expect(contact.optedOut).toBe(true);
    const template = { type: "template" as const, template: { name: "follow_up", language: { code: "en_US" } } };
    const attempt = t.backend.store.transaction((tx) => queueOutbound(tx, { conversation, sender: "bot", purpose: "business_initiated", content: template, now: Date.now() }));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "opted_out" });
    expect(await ed.says("START")).toEqual([expect.stringMatching(/receive our messages again/)]);
    expect((await ed.conversation()).contact.optedOut).toBe(false);
  });

  it("honours an opt-out asked for in a sentence, in any of its languages, and not a request about the newsletter", async () => {
    for (const [name, text, confirmation] of [
      ["Flo", "stop messaging me", /won't receive any more messages/],
      ["Gil", "no me manden más mensajes", /^No recibirás más mensajes nuestros/],
      ["Hana", "bitte keine Nachrichten mehr", /^Sie erhalten keine/],
    ] as const) {
      const who = customer(name);
      expect(await who.says(text)).toEqual([expect.stringMatching(confirmation)]);
      expect((await who.conversation()).contact.optedOut, text).toBe(true);
    }
    const ivy = customer("Ivy");
    await ivy.says("can you stop sending the newsletter?");
    expect((await ivy.conversation()).contact.optedOut).toBe(false);
    expect(await customer("Jo").says("no me manden mas mensajes")).toEqual([expect.stringMatching(/^No recibirás más mensajes nuestros/)]);
  });

  it("leaves an opt-out with a condition to a person, who sorts out what the customer does and does not want", async () => {
    const kai = customer("Kai");
    expect(await handedOffAfter(kai, "dont send me marketing, but I still want the demo")).toMatchObject({ reason: "low_confidence" });
    expect((await kai.conversation()).contact.optedOut).toBe(false);
  });

  it.each([
    ["es", "Hola", /asistente virtual/, "quiero hablar con una persona", /persona de nuestro equipo/],
    ["pt", "Olá", /assistente virtual/, "quero falar com uma pessoa", /pessoa da nossa equipe/],
    ["nl", "Hoi", /virtuele assistent/, "ik wil graag een medewerker spreken", /collega/],
    ["de", "Guten Tag", /virtuelle Assistent/, "ich möchte mit einem Menschen sprechen", /Kollegin/],
  ] as const)("speaks %s: greets and discloses the handoff in the customer's language", async (language, hello, greeting, human, disclosure) => {
    const person = customer();
    expect(await person.says(hello)).toEqual([expect.stringMatching(greeting)]);
    expect(await person.says(human)).toEqual([expect.stringMatching(disclosure)]);
    const handoff = (await person.conversation()).conversation.agent.handoff!;
    expect(handoff).toMatchObject({ reason: "human_requested" });
    expect(handoff.summary.language).toBe(language);
  });

  it("greets a first \"Hallo\" in the language of the number's country where the word alone cannot tell", async () => {
    expect(await new Customer(t, "4915112345601", "Jonas").says("Hallo")).toEqual([expect.stringMatching(/virtuelle Assistent/)]);
    expect(await new Customer(t, "31612345601", "Daan").says("Hallo")).toEqual([expect.stringMatching(/virtuele assistent/)]);
    expect(await new Customer(t, "4915112345602", "Mia").says("Hello")).toEqual([expect.stringMatching(/virtual assistant/)]);
    // A US number says nothing between German and Dutch: the language more customers speak.
    expect(await new Customer(t, "12125550177", "Alex").says("Hallo")).toEqual([expect.stringMatching(/virtuelle Assistent/)]);
  });

  it.each([
    ["es", "¿tienen prueba gratis?", "prueba-gratis"],
    ["pt", "vocês têm teste grátis?", "teste-gratis"],
    ["nl", "kan ik het gratis proberen?", "proefperiode"],
    ["de", "gibt es eine kostenlose Testphase?", "testphase"],
    ["de", "Gibt es eine Integration mit HubSpot?", "integrationen"],
  ] as const)("answers a routine question in %s from the sandbox's entry in that language: %j", async (_language, question, id) => {
    expect(await customer().says(question)).toEqual([demoKnowledge.find((entry) => entry.id === id)!.body]);
  });

  it("treats a VIP from the CRM as a handoff, and says so out of hours", async () => {
    await t.backend.store.putAgentSettings(
      TENANT,
      ZAgentSettings.parse({ companyName: "Acme", businessHours: { timezone: "UTC", openings: [{ day: 0, from: "00:00", to: "00:01" }] } }),
      Date.now(),
    );
    const vip = customer("Vi");
    await vip.says("Hi");
    const { contact } = await vip.conversation();
    await t.backend.store.setContactCrmFacts(TENANT, contact.id, { vip: true, dealValue: null }, Date.now());
    const [notice] = await vip.says("Can you tell me about onboarding?");
    expect(notice).toMatch(/offline right now/);
    expect((await vip.conversation()).conversation.agent.handoff).toMatchObject({ reason: "vip", priority: "high" });
    await t.backend.store.putAgentSettings(TENANT, ZAgentSettings.parse({ companyName: "Acme" }), Date.now());
  });
});
