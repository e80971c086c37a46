/**
 * Turns the built-in engine answers the same way whatever the knowledge base holds and whatever the
 * classifier makes of them: an opt-out, "why do you ask?", "is this a bot?", "is this Acme?", a request
 * for help that says not with what, a lone "?", "no more questions", "what else do you need?", a
 * thumbs-up, and attachments without words.
 * Each returns the decision, or null when the turn is none of these.
 */
import type { AgentDecision, AgentInput } from "../../domain/agent.js";
import { phrases } from "../../domain/agent/messages.js";
import { isOptOut } from "../../domain/agent/opt-out.js";
import { questionOrder } from "../../domain/agent/qualification.js";
import { asksIfAssistant, asksIfCompany, asksWhatElse, asksWhoItIs, asksWhyWeAsk, burstAsksOnlyForHelp, declinesFurtherQuestions, isAcknowledgement } from "../../domain/agent/signals.js";
import { onlyAttachments } from "../../domain/agent/turn-words.js";
import type { ClassifiedTurn } from "./read-turn.js";

/** The classifier's opt-out rules answer 0.97; the model alone is not trusted with an opt-out below this. */
const SURE_OPT_OUT = 0.9;
/** A "but" that turns a sentence: what follows it qualifies what came before. Not "mas": unaccented Spanish "más" (more). */
const CONTRAST = /(?:^|[^\p{L}])(?:but|however|pero|sin embargo|por[eé]m|maar|aber|doch)(?!\p{L})/iu;

/**
 * Only attachments and no words: a voice note, a photo, a sticker. Nothing to read, so nothing to
 * classify; the customer is asked to write, and the open question stays open. A sticker is a reaction,
 * like a thumbs-up, and gets no answer.
 */
export function answerToAttachmentsAlone(input: AgentInput): AgentDecision | null {
  if (!onlyAttachments(input.pending)) return null;
  const attachments = new Set(input.pending.map((turn) => turn.attachment));
  const language = input.customer.language ?? input.customer.numberLanguage ?? "en";
  const base = { intent: "other", confidence: 1, language, learned: {} } as const;
  if ([...attachments].every((attachment) => attachment === "sticker")) return { ...base, kind: "none" };
  const words = phrases[language];
  const text = attachments.has("voice") || attachments.has("audio") || attachments.has("video") ? words.cannotPlay : words.readsTextOnly;
  const open = input.customer.askedField;
  return { ...base, kind: "reply", text, sourceId: null, ...(open ? { asks: open } : {}) };
}

export function fixedAnswer(input: AgentInput, turn: ClassifiedTurn): AgentDecision | null {
  const { texts, last, language } = turn;
  const words = phrases[language];
  const base = { intent: "other", confidence: 1, language, learned: {} } as const;
  const open = input.customer.askedField;
  const alone = texts.length === 1;

  // "STOP" alone, or a sentence that asks as plainly ("stop messaging me", "no me manden más mensajes"),
  // which the classifier's opt-out rules are sure of: a request to stop is honoured, not answered. One with
  // a condition ("no marketing, but I still want the demo") is for a person to sort out (escalation.ts).
  const plainOptOut = turn.classified.intent === "opt_out" && turn.classified.confidence >= SURE_OPT_OUT && !CONTRAST.test(last);
  if (isOptOut(last) || plainOptOut) return { ...base, kind: "opt_out", intent: "opt_out", text: words.optedOut };
  // "Why do you ask?" right after a qualification question: why, that it may be skipped, and the question again.
  if (alone && open !== null && asksWhyWeAsk(last)) return { ...base, kind: "question", field: open, text: `${words.whyWeAsk} ${words.questions[open]}` };
  // Whoever asks is told plainly that they are writing with an automated assistant, and how to reach a person.
  if (alone && asksIfAssistant(last)) return { ...base, kind: "reply", text: words.isAssistant(input.settings.companyName, !asksWhoItIs(last)), sourceId: null };
  // "Hi, is this Acme?": yes, and who is answering; opening the chat, the greeting says both.
  if (alone && asksIfCompany(last, input.settings.companyName)) {
    if (input.history.length > 0) return { ...base, kind: "reply", text: words.isAssistant(input.settings.companyName, true), sourceId: null };
    const text = words.greeting(input.customer.name?.split(" ")[0] ?? null, input.settings.companyName);
    return input.customer.known.need === null ? { ...base, kind: "question", field: "need", text } : { ...base, kind: "reply", text, sourceId: null };
  }
  // "I need help" or "hello?? anyone there?" says nothing yet about with what: asking is the answer (a
  // greeting, when it opens the chat). "?" or "..." alone: the customer is waiting or did not follow; our
  // open question again, if any.
  const onlyPunctuation = texts.every((sent) => !/[\p{L}\p{N}]/u.test(sent)) && !texts.every(isAcknowledgement);
  if (burstAsksOnlyForHelp(texts) || onlyPunctuation) {
    if (onlyPunctuation && open) return { ...base, kind: "question", field: open, text: words.questions[open] };
    const text = input.history.length === 0 ? words.greeting(input.customer.name?.split(" ")[0] ?? null, input.settings.companyName) : words.howCanIHelp;
    return input.customer.known.need === null ? { ...base, kind: "question", field: "need", text } : { ...base, kind: "reply", text, sourceId: null };
  }
  // "No more questions, please": none from now on, and nothing more to say.
  if (alone && declinesFurtherQuestions(last)) {
    const declinedFields = questionOrder.filter((field) => input.customer.known[field] === null && !input.customer.askedFields.includes(field));
    return { ...base, kind: "reply", text: words.noMoreQuestions, sourceId: null, declinedFields };
  }
  // "What else do you need?": whatever is still unknown, asked or not before.
  if (alone && asksWhatElse(last)) {
    const field = questionOrder.find((unknown) => input.customer.known[unknown] === null);
    return field ? { ...base, kind: "question", field, text: words.questions[field] } : { ...base, kind: "reply", text: words.allSet, sourceId: null };
  }
  // A thumbs-up after an answer is read, not answered, and wakes nobody.
  if (texts.every(isAcknowledgement)) return { ...base, kind: "none", intent: "greeting" };
  return null;
}
