/**
 * The built-in engine: offline, deterministic and fast. It reads the turn (read-turn.ts: intent,
 * language, qualification answers), answers routine questions only from the tenant's approved
 * knowledge, asks the next qualification question, and hands off whenever the escalation policy says a
 * person must decide.
 */
import type { Intent, KnowledgeEntry, Language, Qualification, QualificationField } from "@salesbot/shared";
import type { Agent, AgentDecision, AgentInput } from "../../domain/agent.js";
import { isOpen } from "../../domain/agent/business-hours.js";
import { escalationFor, type Escalation } from "../../domain/agent/escalation.js";
import type { IntentClassifier } from "../../domain/agent/intent-classifier.js";
import { notedBefore, phrases } from "../../domain/agent/messages.js";
import { leadScore, nextQuestion } from "../../domain/agent/qualification.js";
import { askedAgain, asksOnlyForHelp, followsOnFromLastQuestion, looksLikeQuestion, makesRequest, questionsOf, soundsAngry, soundsLikeGoodbye, wantsSpecificOffer } from "../../domain/agent/signals.js";
import { buildHandoffSummary } from "../../domain/agent/summary.js";
import type { KnowledgeBase, KnowledgeHit } from "../../domain/ports/knowledge.js";
import { topicTerms } from "../knowledge/topic-terms.js";
import { answerToAttachmentsAlone, fixedAnswer } from "./fixed-answers.js";
import { classifyTurn, learnFromTurn } from "./read-turn.js";

/** Intents a knowledge-base answer can serve. */
const answerable: ReadonlySet<Intent> = new Set(["faq", "pricing", "other", "purchase_intent", "appointment"]);
/** What a customer asks or tells in the normal course of buying: in capitals, still no shouting. */
const routine: ReadonlySet<Intent> = new Set(["faq", "pricing", "purchase_intent", "appointment", "greeting"]);
/** The entry that answers a question of this intent naming no topic at all. */
const topiclessAnswer: Partial<Record<Intent, KnowledgeEntry["kind"]>> = { pricing: "price", faq: "overview", purchase_intent: "overview" };
/** The customer's last message before this turn, if it asked something. */
function lastQuestionOf(input: AgentInput): string | null {
  const last = [...input.history].reverse().find((turn) => turn.from === "customer");
  return last && looksLikeQuestion(last.text) ? last.text : null;
}

/** What the knowledge base is searched with for this turn's `text`. */
function topicOf(input: AgentInput, text: string, learned: Partial<Qualification>): string {
  // "Can I book a demo next week?": when is qualification, not the topic the knowledge base is searched for.
  const asked = learned.timeline ? text.replace(learned.timeline, " ") : text;
  // "Is there a free trial?" … "and for Enterprise?": the trial question again, for Enterprise.
  const previous = followsOnFromLastQuestion(text) ? lastQuestionOf(input) : null;
  return previous ? askedAgain(previous, asked) : asked;
}
/** The fields asked so far, the one this message answers included. */
const answeredAsked = (asked: readonly QualificationField[], current: QualificationField | null): readonly QualificationField[] =>
  current && !asked.includes(current) ? [...asked, current] : asked;

export class BuiltinAgent implements Agent {
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly knowledge: KnowledgeBase,
  ) {}

  async decide(input: AgentInput): Promise<AgentDecision> {
    const unreadable = answerToAttachmentsAlone(input);
    if (unreadable) return unreadable;
    const turn = classifyTurn(input, this.classifier);
    const fixed = fixedAnswer(input, turn);
    if (fixed) return fixed;
    const { text, last, classified, language } = turn;
    const words = phrases[language];

    const { question, learned, known, declined, answeredUs } = learnFromTurn(input, turn);
    const score = leadScore(known);
    const askedField = input.customer.askedField;
    // "We are 12 reps and want WhatsApp in HubSpot, budget 500 a month": facts about the lead that ask
    // nothing. They are taken and the next question follows; no source is searched, no person needed.
    const asksForMeeting = classified.intent === "appointment" && classified.confidence >= input.settings.escalation.lowConfidence;
    // "My email is carla@globex.com, please send me the pricing" states a fact and asks for something.
    const statesFactsOnly = !question && !text.includes("?") && Object.keys(learned).length > 0 && !asksForMeeting && !makesRequest(text);
    const topic = topicOf(input, text, learned);
    // An intent the classifier only guesses at closes no door: "Wir sind ein Autohaus. Bieten Sie eine
    // Testphase an?", read as a request for a person at 18 %, is answered by the trial entry.
    const unsure = classified.confidence < input.settings.escalation.lowConfidence;
    const answers = (answerable.has(classified.intent) || unsure) && !answeredUs && !statesFactsOnly ? await this.answersFor(input, topic, topic === text ? turn.questions : questionsOf(topic), language, classified) : [];
    const hit = answers[0] ?? null;
    const angry = soundsAngry(text, !unsure && routine.has(classified.intent));
    const escalation = escalationFor(
      {
        intent: classified.intent,
        confidence: classified.confidence,
        wantsSpecificOffer: wantsSpecificOffer(text),
        // A routine question, a price question, a buyer's "how do we sign up?" or a request for a demo or a
        // call that no approved source answers (a booking link, say): never guess.
        unanswerable: !hit && !answeredUs && !statesFactsOnly && (classified.intent === "faq" || classified.intent === "pricing" || classified.intent === "appointment" || ((classified.intent === "other" || classified.intent === "purchase_intent") && question)),
        vip: input.customer.vip,
        dealValue: input.customer.dealValue,
        leadScore: score,
        companySize: known.company_size,
        angry,
        answeredQuestion: Object.keys(learned).length > 0 || declined,
        justQualified: (Object.keys(learned).length > 0 || declined) && nextQuestion(known, answeredAsked(input.customer.askedFields, askedField)) === null,
        toldTheirNeed: learned.need !== undefined,
        answeredFromSource: hit !== null,
      },
      input.settings.escalation,
    );
    const base = { intent: classified.intent, confidence: classified.confidence, language, learned };
    if (escalation) return this.handoff(input, base, escalation, known, angry, last, question);

    if (hit) {
      const more = answers.slice(1).map((answer) => answer.entry.id);
      const answer = words.fromSource(answers.map((answer) => answer.entry.body).join("\n\n"));
      // The customer asked something between our question and their answer: answer it, then ask ours again.
      // Not "How can I help?" (the need): a question in answer to it is what they came for.
      const reopen = askedField !== null && askedField !== "need" && known[askedField] === null && !answeredUs ? askedField : null;
      // "Hi, I'd like more information": what the product does, then what they would use it for, as a rep
      // would go on. Only where the need was never asked: no question is asked twice.
      const opens = hit.entry.kind === "overview" && known.need === null && !input.customer.askedFields.includes("need") ? "need" : null;
      const asks = reopen ?? opens;
      const text = asks ? `${answer}\n\n${words.questions[asks]}` : answer;
      return { ...base, kind: "reply", text, sourceId: hit.entry.id, ...(more.length > 0 ? { moreSourceIds: more } : {}), ...(asks ? { asks } : {}) };
    }

    // "Thanks, bye!" ends the exchange: neither a greeting nor the next qualification question.
    if (classified.intent === "greeting" && soundsLikeGoodbye(last)) return { ...base, kind: "reply", text: words.closing, sourceId: null };
    // A late answer to an earlier question ("Pro" to "How many people…?", after "Which plan…?") leaves the
    // question just asked open, to be asked again. A customer who answers ahead instead ("we are 25" to
    // "Which plan…?") passed it over, and is not asked it twice.
    const caughtUp = (Object.keys(learned) as QualificationField[]).some((learnedField) => learnedField !== askedField && input.customer.askedFields.includes(learnedField));
    const answeredElse = askedField !== null && learned[askedField] === undefined && caughtUp && !declined;
    const field = nextQuestion(known, answeredElse ? input.customer.askedFields.filter((asked) => asked !== askedField) : input.customer.askedFields);
    if (classified.intent === "greeting" && input.history.length === 0) {
      // "How can I help?" is the need question in friendlier words: the answer is read as the need.
      const greeting = words.greeting(input.customer.name?.split(" ")[0] ?? null, input.settings.companyName);
      return known.need === null ? { ...base, kind: "question", field: "need", text: greeting } : { ...base, kind: "reply", text: greeting, sourceId: null };
    }
    const noted = notedBefore(language, input.customer.askedFields.length);
    if (field) return { ...base, kind: "question", field, text: Object.keys(learned).length > 0 ? `${noted} ${words.questions[field]}` : words.questions[field] };
    // The last question answered, or passed with "no budget yet": qualification is done, and the customer is asked what else.
    return { ...base, kind: "reply", text: Object.keys(learned).length > 0 || declined ? words.allSet : words.thanks, sourceId: null };
  }

  /**
   * The approved answers to the message, none when it has no source. A message of several questions
   * is answered only if every one of them has a source: answering some would leave the rest
   * unanswered, so a person takes them all. Each source answers once, in the order it was asked.
   */
  /** `asked`: the questions of `text` (questionsOf). */
  private async answersFor(input: AgentInput, text: string, asked: readonly string[], language: Language, classified: { intent: Intent; confidence: number }): Promise<KnowledgeHit[]> {
    const found = await this.searchAnswers(input, text, asked, language);
    if (found.length > 0) return found;
    // What the customer tells around the question ("we are 8 agents and lose leads. Can your tool help?") is
    // not its topic, and the question alone says what it asks.
    const question = asked.length === 0 ? text : asked.length === 1 ? asked[0]! : null;
    if (question === null) return found;
    const hit = await this.topiclessAnswer(input, question, language, question === text ? classified : null, question !== text);
    return hit ? [hit] : [];
  }

  /**
   * "How much is it?" names nothing but the price, "How does it work?" nothing but the product: the tenant's
   * one price list, or its one overview, in the customer's language answers it. `classified`: the question's
   * reading, where the caller has it. `afterContext`: the customer told something before asking, and "can you
   * help us?" then asks whether the product helps with it.
   */
  private async topiclessAnswer(
    input: AgentInput,
    question: string,
    language: Language,
    classified: { intent: Intent; confidence: number } | null,
    afterContext = false,
  ): Promise<KnowledgeHit | null> {
    if (topicTerms(question).length > 0) return null;
    const own = afterContext && asksOnlyForHelp(question) ? { intent: "faq" as const, confidence: 1 } : (classified ?? this.classifier.classify(question, input.customer.language));
    const kind = topiclessAnswer[own.intent];
    if (!kind || own.confidence < input.settings.escalation.lowConfidence) return null;
    const [entry, ...more] = await this.knowledge.ofKind(input.tenantId, kind, language);
    return entry && more.length === 0 ? { entry, relevance: 1 } : null;
  }

  /** `questions`: the questions of `text` (questionsOf), found once by the caller. */
  private async searchAnswers(input: AgentInput, text: string, questions: readonly string[], language: Language): Promise<KnowledgeHit[]> {
    const only = async (query: string) => {
      const hit = await this.bestAnswer(input, query, language);
      return hit ? [hit] : [];
    };
    if (questions.length === 1) return only(questions[0]!);
    if (questions.length === 0) return only(text);
    // "Is there a trial?" / "and how much?": each question by its topic, or, naming none, as a question alone.
    const hits = await Promise.all(questions.map(async (question) => (await this.bestAnswer(input, question, language)) ?? (await this.topiclessAnswer(input, question, language, null, true))));
    if (hits.some((hit) => hit === null)) return [];
    const distinct = [...new Map(hits.map((hit) => [hit!.entry.id, hit!])).values()];
    if (distinct.length > 1) return distinct;
    // Every question found the same entry: the message as a whole may match a better one.
    return only(text).then((whole) => (whole.length > 0 ? whole : distinct));
  }

  private async bestAnswer(input: AgentInput, text: string, language: Language): Promise<KnowledgeHit | null> {
    const [best] = await this.knowledge.search(input.tenantId, text, { language, limit: 3 });
    return best && best.relevance >= input.settings.knowledgeThreshold ? best : null;
  }

  private handoff(
    input: AgentInput,
    base: { intent: Intent; confidence: number; language: Language; learned: Partial<Qualification> },
    escalation: Escalation,
    known: Qualification,
    angry: boolean,
    last: string,
    question: boolean,
  ): AgentDecision {
    const open = isOpen(input.settings.businessHours, input.now);
    const custom = input.settings.messages[base.language];
    const words = phrases[base.language];
    const notice = open ? (custom?.handoff ?? words.handoff) : (custom?.handoffOutOfHours ?? words.handoffOutOfHours);
    return {
      ...base,
      kind: "handoff",
      reason: escalation.reason,
      priority: escalation.priority,
      team: escalation.team,
      customerNotice: notice,
      summary: buildHandoffSummary({
        customerName: input.customer.name,
        known,
        intent: base.intent,
        confidence: base.confidence,
        language: base.language,
        reason: escalation.reason,
        angry,
        lastMessage: input.pending.map((t) => t.text).join(" / "),
        unansweredQuestion: question || escalation.reason === "unknown_answer" || escalation.reason === "pricing_or_contract" ? last : null,
      }),
    };
  }
}

