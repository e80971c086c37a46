import { describe, expect, it } from "vitest";
import { ZQualification } from "@salesbot/shared";
import { extractQualification, leadScore, mergeQualification, nextQuestion } from "./qualification.js";

const empty = ZQualification.parse({});

describe("reading qualification answers", () => {
  it.each([
    ["We are about 40 employees", { company_size: 40 }],
    ["somos 12 personas", { company_size: 12 }],
    ["wir sind ein Team von 8", { company_size: 8 }],
    ["Hallo, wir sind 40 Leute. Funktioniert das mit Salesforce?", { company_size: 40 }],
    ["we need 25 licenses", { company_size: 25 }],
    ["We have 30 sales reps and need WhatsApp in Salesforce", { company_size: 30 }],
    ["12 support agents", { company_size: 12 }],
    ["our budget is around $15k", { budget: 15_000, budget_currency: "USD" }],
    ["presupuesto de 5.000 euros", { budget: 5000, budget_currency: "EUR" }],
    ["we need it next month", { timeline: "next month" }],
    ["o quanto antes", { timeline: "o quanto antes" }],
    ["write to ana.lima@example.com", { email: "ana.lima@example.com" }],
    ["My name is Ana Lima and I work at Globex Corp", { name: "Ana Lima", company: "Globex Corp" }],
    ["I'm Carla from Globex", { name: "Carla", company: "Globex" }],
    ["soy Pedro de Inmobiliaria Sol", { name: "Pedro", company: "Inmobiliaria Sol" }],
    ["sou a Marta da empresa Xpto", { name: "Marta", company: "Xpto" }],
    ["Ich bin Jonas von der Firma Müller Bau", { name: "Jonas", company: "Müller Bau" }],
    ["hi\nmy name is Carla\nwe need WhatsApp in Salesforce", { name: "Carla", need: "we need WhatsApp in Salesforce" }],
    ["We're a 40 person company", { company_size: 40 }],
    ["for our 8-person team", { company_size: 8 }],
    ["unser 20-köpfiges Team", { company_size: 20 }],
    ["starting in January", { timeline: "starting in January" }],
    ["empezamos en marzo", { timeline: "en marzo" }],
    ["precisamos até março", { timeline: "até março" }],
    ["ab März 2027", { timeline: "ab März 2027" }],
    ["en 2 meses", { timeline: "en 2 meses" }],
    ["daqui a 3 semanas", { timeline: "daqui a 3 semanas" }],
    ["binnen 2 maanden", { timeline: "binnen 2 maanden" }],
    ["innerhalb von 4 Wochen", { timeline: "innerhalb von 4 Wochen" }],
    ["Hi, we want to answer WhatsApp leads from HubSpot. Budget 500 euros.", { need: "we want to answer WhatsApp leads from HubSpot.", budget: 500 }],
    ["Hello! We're looking for a WhatsApp bot for our CRM", { need: "We're looking for a WhatsApp bot for our CRM" }],
    ["Hi there, we are a real estate agency looking for a WhatsApp bot", { need: "we are a real estate agency looking for a WhatsApp bot" }],
    ["necesitamos un asistente de ventas en WhatsApp", { need: "necesitamos un asistente de ventas en WhatsApp" }],
    ["preciso de um bot de WhatsApp para minha loja", { need: "preciso de um bot de WhatsApp para minha loja" }],
    ["wir suchen einen WhatsApp-Bot", { need: "wir suchen einen WhatsApp-Bot" }],
    ["We have 250 employees and want WhatsApp in Salesforce", { company_size: 250, need: "We have 250 employees and want WhatsApp in Salesforce" }],
    ["We're interested in the Growth plan", { product_interest: "Growth" }],
    ["wir sind ein Autohaus mit 25 Verkäufern", { company_size: 25 }],
    ["a dental clinic with 3 receptionists", { company_size: 3 }],
    ["The Pro plan please", { product_interest: "Pro" }],
    ["el plan Growth nos interesa", { product_interest: "Growth" }],
    ["das Growth-Paket", { product_interest: "Growth" }],
    ["somos 20", { company_size: 20 }],
    ["around 25 lawyers", { company_size: 25 }],
    ["just 4 of us", { company_size: 4 }],
    ["somos una inmobiliaria con 15 agentes", { company_size: 15 }],
    ["ein Autohaus mit 40 Mitarbeitern", { company_size: 40 }],
    ["wij zijn een webshop met 5 man", { company_size: 5 }],
    ["wir sind 12 Mann im Vertrieb", { company_size: 12 }],
    ["Guten Tag, wir möchten WhatsApp-Anfragen in Salesforce bearbeiten.", { need: "wir möchten WhatsApp-Anfragen in Salesforce bearbeiten." }],
    ["Goedemiddag, wij willen WhatsApp koppelen aan HubSpot", { need: "wij willen WhatsApp koppelen aan HubSpot" }],
    ["before summer", { timeline: "before summer" }],
    ["antes del verano", { timeline: "antes del verano" }],
    ["im Herbst", { timeline: "im Herbst" }],
    ["no rush, sometime next year", { timeline: "no rush" }],
    ["sin prisa", { timeline: "sin prisa" }],
    ["wir sind 30 Leute im Vertrieb und brauchen WhatsApp in Salesforce", { company_size: 30, need: "wir sind 30 Leute im Vertrieb und brauchen WhatsApp in Salesforce" }],
    ["wir sind etwa 35", { company_size: 35 }],
  ] as const)("%j", (text, expected) => {
    expect(extractQualification(text)).toMatchObject(expected);
  });

  it.each(["I want to talk to a person", "I need it next month", "I'd like to know more about what you offer", "we may need more time", "quiero hablar con alguien", "wir brauchen es bald", "gostaria de saber mais", "preciso de ajuda", "I need a quote", "we want a discount", "quero contratar", "gostaria de um orçamento"])(
    "reads no need and no month where none is stated: %j",
    (text) => {
      const found = extractQualification(text);
      expect(found.need).toBeUndefined();
      if (!/next month/.test(text)) expect(found.timeline).toBeUndefined();
    },
  );

  it.each([
    ["We started using HubSpot in March and want WhatsApp in it", "We started using HubSpot in March and want WhatsApp in it"],
    ["we launched our online shop this year", null],
    ["in March last year", null],
    ["fuimos fundados en mayo", null],
    ["a loja começou em março do ano passado", null],
    ["wir haben im März angefangen", null],
    ["we zijn in maart begonnen", null],
  ] as const)("takes no date told of as past for the timeline: %j", (text, need) => {
    const found = extractQualification(text);
    expect(found.timeline).toBeUndefined();
    expect(found.need ?? null).toBe(need);
  });

  it.each([
    ["We bought HubSpot last year and want to go live in March", "in March"],
    ["we switched CRMs last year, now we need WhatsApp by June", "by June"],
    ["I was hoping to start in March", "start in March"],
    ["empezamos en marzo", "en marzo"],
    ["Was kostet es ab März?", "ab März"],
  ] as const)("still takes the date a customer means to start by: %j", (text, timeline) => {
    expect(extractQualification(text).timeline).toBe(timeline);
  });

  it.each(["ich bin interessiert", "sou de São Paulo", "I'm from Berlin", "soy de Madrid"])("reads no name where none is given: %j", (text) => {
    expect(extractQualification(text).name).toBeUndefined();
  });

  it("takes a month of a year gone by for history, and one of this year or later for a timeline", () => {
    expect(extractQualification("we had a bad experience with another vendor in March 2023", null, 2026).timeline).toBeUndefined();
    expect(extractQualification("desde marzo 2025 usamos HubSpot", null, 2026).timeline).toBeUndefined();
    expect(extractQualification("we want to go live by March 2026", null, 2026).timeline).toBe("by March 2026");
    expect(extractQualification("ab März 2027", null, 2026).timeline).toBe("ab März 2027");
    // With no year to compare against, the words decide alone.
    expect(extractQualification("in March 2023").timeline).toBe("in March 2023");
  });

  it("still takes whatever answers its own timeline question, in the customer's words, for the rep to read", () => {
    expect(extractQualification("we switched CRMs last year, so after the summer", "timeline")).toEqual({ timeline: "we switched CRMs last year, so after the summer" });
  });

  it.each([
    ["We get lots of WhatsApp leads and lose many of them.", "We get lots of WhatsApp leads and lose many of them."],
    ["our reps can't keep up with the chats", "our reps can't keep up with the chats"],
    ["Hola, perdemos clientes porque contestamos tarde", "perdemos clientes porque contestamos tarde"],
    ["estamos perdendo vendas no WhatsApp", "estamos perdendo vendas no WhatsApp"],
    ["ons probleem is de reactietijd op WhatsApp", "ons probleem is de reactietijd op WhatsApp"],
    ["Unser Problem ist, dass Anfragen liegen bleiben", "Unser Problem ist, dass Anfragen liegen bleiben"],
  ] as const)("takes what goes wrong today as the need: %j", (text, need) => {
    expect(extractQualification(text).need).toBe(need);
  });

  it("names no plan and counts no heads where none is given", () => {
    for (const text of ["which plans do you have", "is there a plan for small teams?", "we are 20 minutes away", "Is WhatsApp plan included?"]) {
      const found = extractQualification(text);
      expect(found.product_interest, text).toBeUndefined();
      expect(found.company_size, text).toBeUndefined();
    }
  });

  it("takes a bare answer to the question just asked", () => {
    expect(extractQualification("maybe 300 a month", "budget")).toEqual({ budget: 300 });
    expect(extractQualification("around 2k", "budget")).toEqual({ budget: 2000 });
    expect(extractQualification("maybe 300 a month")).toEqual({});
    expect(extractQualification("weet ik niet", "product_interest")).toEqual({});
    expect(extractQualification("2027", "timeline")).toEqual({ timeline: "2027" });
    expect(extractQualification("around 25 of us", "timeline")).toEqual({ company_size: 25 });
    expect(extractQualification("maybe 30 or so", "timeline")).toEqual({});
    expect(extractQualification("we fall behind on leads")).toEqual({});
    expect(extractQualification("not sure", "need")).toEqual({});
    expect(extractQualification("about 20", "company_size")).toEqual({ company_size: 20 });
    expect(extractQualification("a way to answer WhatsApp leads faster", "need")).toEqual({ need: "a way to answer WhatsApp leads faster" });
    expect(extractQualification("about 20")).toEqual({});
  });

  it("does not read a price question as a budget", () => {
    expect(extractQualification("is it 29 euros per user?")).toEqual({});
  });
});

describe("next question and lead score", () => {
  it("asks one question at a time, never one already answered, money last", () => {
    expect(nextQuestion(empty)).toBe("need");
    const known = mergeQualification(empty, { need: "inbox", product_interest: "Growth", company_size: 30 });
    expect(nextQuestion(known)).toBe("timeline");
    expect(nextQuestion(mergeQualification(known, { timeline: "Q3", budget: 1000 }))).toBeNull();
    expect(nextQuestion(empty, ["need", "product_interest"])).toBe("company_size");
  });

  it("never erases a known answer with an empty one", () => {
    expect(mergeQualification({ ...empty, need: "x" }, { need: null as never }).need).toBe("x");
  });

  it("scores bigger, urgent, well-described leads higher", () => {
    const small = mergeQualification(empty, { need: "x", company_size: 3 });
    const big = mergeQualification(empty, { need: "x", product_interest: "Growth", company_size: 250, timeline: "asap", budget: 60_000, email: "a@b.co", company: "Big" });
    expect(leadScore(empty)).toBe(0);
    expect(leadScore(small)).toBeLessThan(30);
    expect(leadScore(big)).toBeGreaterThanOrEqual(90);
  });
});
