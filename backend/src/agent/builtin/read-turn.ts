/**
 * What the built-in engine reads from a customer's turn before it decides anything: the intent (with
 * the corrections the classifier needs), the language, and the qualification answers the turn gives,
 * including whether it answered, declined or passed over the question the bot asked.
 */
import type { Intent, Language, Qualification, QualificationField } from "@salesbot/shared";
import type { AgentInput } from "../../domain/agent.js";
import type { IntentClassifier, IntentResult } from "../../domain/agent/intent-classifier.js";
import { detectLanguage } from "../../domain/agent/language.js";
import { maskPii } from "../../domain/agent/pii.js";
import { wordsOf } from "../../domain/agent/turn-words.js";
import { extractQualification, mergeQualification } from "../../domain/agent/qualification.js";
import { asksOnlyForHelp, isFiller, looksLikeQuestion, OPENING_GREETING, questionsOf, soundsLikeDeclining } from "../../domain/agent/signals.js";
import { isCount } from "../knowledge/counted-words.js";
import { fold } from "../knowledge/fold.js";
import { topicTerms } from "../knowledge/topic-terms.js";

/** Below this, a greeting that is also a question is read as a question, and one after ours as its answer. */
const SURE_SMALL_TALK = 0.6;
/** A reply of one capitalised word: "Pro", "Growth", "Enterprise+". */
const PLAN_ALONE = /^\p{Lu}[\p{L}\d+]{1,30}$/u;
/** Intents of a message that asks something of us, and so does not answer "How can I help?" with a need. */
const asksSomethingOfUs: ReadonlySet<Intent> = new Set(["pricing", "faq", "contract", "human_request", "complaint", "sensitive_data", "appointment", "opt_out"]);
/**
 * Words of a lead who says they are interested, and where they saw us, but not what for: "Saw your ad on
 * Instagram. Interested", "hola, me interesa, más info".
 */
const INTEREST_WORDS: ReadonlySet<string> = new Set(
  `interested interest interesting ad ads advert advertisement saw seen instagram facebook tiktok linkedin google interesa interesado
  interesada interesados anuncio vi visto interesse interessado interessada interessados geinteresseerd advertentie zag gezien
  interessiert interessieren interessiere anzeige gesehen`
    .split(/\s+/)
    .filter(Boolean)
    .map(fold),
);
const saysOnlyThatInterested = (text: string): boolean => topicTerms(text).every((term) => INTEREST_WORDS.has(term));
/** Intents whose "I need…" is a request to us, not the lead's need. */
const notAboutBuying: ReadonlySet<Intent> = new Set(["sensitive_data", "human_request", "complaint", "opt_out"]);

/**
 * The customer's words before a closing "can you help us?", when that is the message's only question; without
 * the greeting and the clause that says who they are ("soy Ana, …").
 */
function situationBeforeHelp(text: string, asked: readonly string[], name: string | null): string | null {
  if (asked.length !== 1 || !asksOnlyForHelp(asked[0]!)) return null;
  let before = text.slice(0, text.lastIndexOf(asked[0]!)).replace(OPENING_GREETING, "").replace(/[\s,;]+$/u, "").trim();
  const introduction = name ? before.split(/(?<=[,.;])\s+/u)[0]! : "";
  if (name && introduction.includes(name) && introduction !== before) before = before.slice(introduction.length).trim();
  // "Wir sind ein Autohaus mit 20 Verkäufern" is who they are; a situation says a little more.
  return topicTerms(before).filter((term) => !isCount(term)).length >= 3 ? before : null;
}

export interface ClassifiedTurn {
  /** The pending messages, oldest first; `text` joins them, `last` is the newest. */
  texts: string[];
  text: string;
  last: string;
  /** The questions of `text` (questionsOf), found once for the turn. */
  questions: string[];
  classified: IntentResult;
  language: Language;
}

export interface LearnedTurn {
  /** The newest message asks something of its own. */
  question: boolean;
  learned: Partial<Qualification>;
  known: Qualification;
  /** The turn declined the question asked, or said nothing to it ("not sure", "haha ok"). */
  declined: boolean;
  /** The turn answered the question asked, or declined it. */
  answeredUs: boolean;
}

export function classifyTurn(input: AgentInput, classifier: IntentClassifier): ClassifiedTurn {
  // A photo's caption is what the customer says; its "[image]" label is not, nor a place's address.
  const texts = input.pending.map(wordsOf).filter((words) => words.trim().length > 0);
  const text = texts.join("\n");
  const last = texts[texts.length - 1] ?? "";
  const typed = classifier.classify(text, input.customer.language);
  // A card number, IBAN, id number or password in the message is a sensitive-data matter whatever the words around it.
  const withPii = maskPii(text).found.length > 0 ? { ...typed, intent: "sensitive_data" as const, confidence: Math.max(typed.confidence, 0.9) } : typed;
  // The model takes some questions for small talk ("where are your servers located?", greeting at 51 %):
  // a question it is not sure is small talk is treated as a question.
  const classified = withPii.intent === "greeting" && looksLikeQuestion(last) && withPii.confidence < SURE_SMALL_TALK ? { ...withPii, intent: "other" as const } : withPii;
  // A first "Hallo" from a German number is German: the number's country settles a tie, nothing more.
  const language = input.customer.language === null && input.customer.numberLanguage ? detectLanguage(text, null, input.customer.numberLanguage) : classified.language;
  return { texts, text, last, questions: questionsOf(text), classified, language };
}

export function learnFromTurn(input: AgentInput, turn: ClassifiedTurn): LearnedTurn {
  const { text, last, classified } = turn;
  const askedField: QualificationField | null = input.customer.askedField;
  const question = looksLikeQuestion(last);
  const sure = classified.confidence >= input.settings.escalation.lowConfidence;
  // A greeting or a question of the customer's own is not the answer to ours: "Hello??" is not their need,
  // and neither is a request the classifier is sure of ("stop asking, just tell me the price"). What it only
  // guesses is small talk ("a WhatsApp bot for our sales team", greeting at 21 %) may well be the answer.
  // "logo" (Portuguese for "soon") to the timeline question is its answer, though the classifier half-reads
  // "até logo" in it: small talk only where it is sure.
  const smallTalk = classified.intent === "greeting" && classified.confidence >= SURE_SMALL_TALK;
  const answersUs = !question && !(smallTalk || (sure && askedField === "need" && asksSomethingOfUs.has(classified.intent)));
  const learned = extractQualification(text, answersUs ? askedField : null, new Date(input.now).getUTCFullYear());
  // A buyer's message that states no other fact is their need in their words; "we are 40 people in sales" is a
  // head count, and "can I connect two numbers?" a question to answer.
  // "Saw your ad. Interested" says they are interested, not in what.
  if (classified.intent === "purchase_intent" && sure && !input.customer.known.need && Object.keys(learned).length === 0 && !question && text.length >= 12 && !saysOnlyThatInterested(text)) {
    learned.need = text.slice(0, 500);
  }
  // "We run a clinic and get 200 WhatsApp messages a day, can you help us?": what they tell before asking for help
  // is what they need help with.
  const situation = situationBeforeHelp(text, turn.questions, learned.name ?? null);
  if (!input.customer.known.need && learned.need === undefined && situation) learned.need = situation.slice(0, 500);
  // "I need to change my password" or "I want a person" says what the customer wants from us now, not what they would buy.
  if (notAboutBuying.has(classified.intent) && classified.confidence >= input.settings.escalation.lowConfidence) delete learned.need;
  // "Pro" in answer to another of our questions, or once the plan question was asked and passed over: a
  // capitalised word alone, while no plan is known, names the plan.
  if ((askedField !== null || input.customer.askedFields.includes("product_interest")) && !question && Object.keys(learned).length === 0 && input.customer.known.product_interest === null && classified.intent !== "greeting" && PLAN_ALONE.test(last.trim()) && !soundsLikeDeclining(last)) {
    learned.product_interest = last.trim();
  }
  const known = mergeQualification(input.customer.known, learned);
  // "No budget yet" is an answer too: the question was asked, and is not asked again.
  const declined = askedField !== null && !question && Object.keys(learned).length === 0 && (soundsLikeDeclining(last) || isFiller(last));
  // "around 8000 euros" right after we asked for the budget is an answer, not a pricing question.
  const answeredUs = (askedField !== null && learned[askedField] !== undefined && learned[askedField] !== null && !question) || declined;
  return { question, learned, known, declined, answeredUs };
}
