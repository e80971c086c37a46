/**
 * The built-in classifier on sentences it was not trained on, in the five languages, plus the
 * behaviours the agent relies on: opt-out keywords, hard negatives, typos, and a confidence that
 * drops when the classifier is guessing.
 */
import { describe, expect, it } from "vitest";
import { languages, type Intent } from "@salesbot/shared";
import { BuiltinIntentClassifier } from "../../backend/src/agent/builtin/intent/classifier.js";
import { trainIntentModel } from "../../backend/src/agent/builtin/intent/model.js";
import { trainingExamples } from "../../backend/src/agent/builtin/intent/examples/index.js";
import { heldOut } from "./intent-heldout.js";

const classifier = new BuiltinIntentClassifier();
/** Escalations must not be missed: every held-out sentence of these intents must be right. */
const mustNotMiss = new Set<Intent>(["human_request", "complaint", "sensitive_data", "opt_out"]);

describe("built-in intent classifier on held-out sentences", () => {
  it("has no held-out sentence among its training examples", () => {
    const training = new Set(Object.values(trainingExamples).flatMap((byIntent) => Object.values(byIntent).flat()).map((s) => s.toLowerCase()));
    const leaked = Object.values(heldOut).flatMap((byIntent) => Object.values(byIntent).flat()).filter((s) => training.has(s!.toLowerCase()));
    expect(leaked).toEqual([]);
  });

  for (const language of languages) {
    describe(language, () => {
      const groups = Object.entries(heldOut[language]) as Array<[Intent, string[]]>;
      for (const [intent, sentences] of groups) {
        it(`recognises ${intent}`, () => {
          const misses = sentences.filter((s) => classifier.classify(s).intent !== intent);
          if (mustNotMiss.has(intent)) expect(misses).toEqual([]);
          else expect(misses.length, `misses: ${misses.join(" | ")}`).toBeLessThanOrEqual(1);
        });
      }
      it("gets at least 90% of the language's sentences right", () => {
        const all = groups.flatMap(([intent, sentences]) => sentences.map((s) => ({ s, intent })));
        const right = all.filter(({ s, intent }) => classifier.classify(s).intent === intent).length;
        expect(right / all.length).toBeGreaterThanOrEqual(0.9);
      });
    });
  }
});

describe("built-in intent classifier behaviours", () => {
  it("tells a question about data protection from a request about the customer's own data", () => {
    for (const question of ["Is it GDPR compliant?", "Is my data safe?"]) expect(classifier.classify(question).intent, question).toBe("faq");
    for (const request of ["I want you to delete my data under GDPR", "GDPR request: erase everything you have on me", "I invoke my right to be forgotten"]) {
      expect(classifier.classify(request).intent, request).toBe("sensitive_data");
    }
  });

  it("reads what follows an opening salutation as the request, not as small talk", () => {
    for (const [text, intent] of [
      ["Hi, is there a free trial?", "faq"],
      ["Hello there, do you integrate with HubSpot?", "faq"],
      ["Good morning, my order never arrived and I am furious", "complaint"],
      ["Hola, ¿cuánto cuesta el plan Growth?", "pricing"],
    ] as const) {
      const bare = classifier.classify(text.replace(/^[^,]+, /, ""));
      const greeted = classifier.classify(text);
      expect(greeted.intent, text).toBe(intent);
      expect(greeted.confidence, text).toBeCloseTo(bare.confidence, 5);
    }
    // A salutation alone, or with too little after it, stays small talk.
    expect(classifier.classify("Hi there!").intent).toBe("greeting");
    expect(classifier.classify("Hello, how are you?").intent).toBe("greeting");
    expect(classifier.classify("Good morning team").intent).toBe("greeting");
  });

  it("opts out on the carrier keywords and their equivalents, alone, in any case", () => {
    for (const keyword of ["STOP", "stop", "Stop.", "unsubscribe", "baja", "parar", "sair", "afmelden", "abmelden", "stop please", "STOPP"]) {
      const result = classifier.classify(keyword);
      expect(result.intent, keyword).toBe("opt_out");
      expect(result.confidence).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("does not opt out on a keyword inside another request", () => {
    expect(classifier.classify("stop charging my card twice!").intent).toBe("sensitive_data");
    expect(classifier.classify("how do I stop the auto renewal of my contract").intent).toBe("contract");
    expect(classifier.classify("unsubscribe me from the newsletter").intent).not.toBe("opt_out");
  });

  it("treats questions about accepted payment methods as routine, and payment problems as sensitive", () => {
    expect(classifier.classify("which payment methods do you accept?").intent).toBe("faq");
    expect(classifier.classify("can I pay with paypal").intent).toBe("faq");
    expect(classifier.classify("my payment with paypal failed").intent).toBe("sensitive_data");
  });

  it("reads a question about the customer's own invoice as a billing matter, in each language", () => {
    for (const text of ["I have a question about my invoice", "tengo una duda con mi factura", "tenho uma dúvida sobre minha fatura", "ik heb een vraag over mijn factuur", "ich habe eine Frage zu meiner Rechnung"]) {
      const { intent, confidence } = classifier.classify(text);
      expect(intent, text).toBe("sensitive_data");
      expect(confidence, text).toBeGreaterThanOrEqual(0.4);
    }
    expect(classifier.classify("do you send an invoice every month?").intent).not.toBe("sensitive_data");
  });

  it("reads through one-letter typos in the words that matter", () => {
    expect(classifier.classify("i want a refnud").intent).toBe("sensitive_data");
    expect(classifier.classify("forgot my pasword").intent).toBe("sensitive_data");
    expect(classifier.classify("i want to file a complaing").intent).toBe("complaint");
  });

  it("lets a request win over the greeting it opens with", () => {
    expect(classifier.classify("hi! can I talk to a real person please").intent).toBe("human_request");
    expect(classifier.classify("hola, quiero una demo").intent).toBe("appointment");
  });

  it.each([
    "I'm interested, can someone call me tomorrow?",
    "please give me a call",
    "¿Me pueden llamar mañana?",
    "pode me ligar amanhã?",
    "Kunt u mij terugbellen?",
    "Rufen Sie mich bitte an",
  ])("takes a request to be called, %j, as asking for a person", (text) => {
    expect(classifier.classify(text).intent).toBe("human_request");
  });

  it("is confident on clear requests and says so when it is guessing", () => {
    expect(classifier.classify("I want to speak to a human agent").confidence).toBeGreaterThan(0.9);
    expect(classifier.classify("my card was declined").confidence).toBeGreaterThan(0.9);
    const gibberish = classifier.classify("qwzx plonk vrrt");
    expect(gibberish.intent).toBe("other");
    expect(gibberish.confidence).toBeLessThanOrEqual(0.3);
    expect(classifier.classify("   ").confidence).toBeLessThanOrEqual(0.3);
    expect(classifier.classify("🤷").intent).toBe("other");
  });

  it("keeps every confidence within [0, 1]", () => {
    for (const byIntent of Object.values(heldOut)) {
      for (const s of Object.values(byIntent).flat()) {
        const { confidence } = classifier.classify(s!);
        expect(confidence).toBeGreaterThanOrEqual(0);
        expect(confidence).toBeLessThanOrEqual(1);
      }
    }
  });

  it("trains the same model every time", () => {
    const again = new BuiltinIntentClassifier(trainIntentModel());
    for (const s of ["i need a quote for 40 seats", "kann ich mit jemandem sprechen", "quiero cancelar mi plan"]) {
      expect(again.classify(s)).toEqual(classifier.classify(s));
    }
  });

  it("uses the conversation's language when the message itself says nothing", () => {
    expect(classifier.classify("👍", "pt").language).toBe("pt");
    expect(classifier.classify("quiero hablar con una persona", "en").language).toBe("es");
  });
});
