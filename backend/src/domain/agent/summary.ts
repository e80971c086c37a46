/**
 * The handoff summary a rep reads before replying: the customer's situation in fields and in two or
 * three plain sentences, so nobody asks the customer to repeat themselves. Personal data is masked.
 */
import type { HandoffReason, HandoffSummary, Intent, Language, Qualification } from "@salesbot/shared";
import { maskPii } from "./pii.js";
import { timelineUrgency } from "./qualification.js";

export interface SummaryInput {
  customerName: string | null;
  known: Qualification;
  intent: Intent;
  confidence: number;
  language: Language;
  reason: HandoffReason;
  angry: boolean;
  /** The customer's own words that triggered the handoff. */
  lastMessage: string;
  unansweredQuestion: string | null;
}

const reasonText: Record<HandoffReason, string> = {
  human_requested: "asked to talk to a person",
  complaint: "is unhappy and needs a person to resolve a complaint",
  pricing_or_contract: "asked for a quote, discount or contract terms the bot may not give",
  payment_or_identity: "raised a payment, account or identity matter",
  unknown_answer: "asked something the approved sources do not answer",
  high_value_lead: "is a high-value lead",
  vip: "is a VIP customer",
  low_confidence: "wrote something the bot could not interpret with confidence",
};

const languageName: Record<Language, string> = { en: "English", es: "Spanish", pt: "Portuguese", nl: "Dutch", de: "German" };

function money(known: Qualification): string | null {
  if (known.budget === null) return null;
  return `${known.budget.toLocaleString("en-US")}${known.budget_currency ? ` ${known.budget_currency}` : ""}`;
}

export function buildHandoffSummary(input: SummaryInput): HandoffSummary {
  const { known } = input;
  const who = [input.customerName ?? "The customer", known.company ? `(${known.company})` : null].filter(Boolean).join(" ");
  const details = [
    // The need is the customer's own sentence: quoted, so it reads as theirs in any language.
    known.need ? `need, in their words: "${maskPii(known.need).text.replace(/\s+/g, " ").trim().replace(/[.!]+$/, "")}"` : null,
    known.product_interest ? `is interested in ${known.product_interest}` : null,
    known.company_size ? `for a team of ${known.company_size}` : null,
    known.timeline ? `timeline: ${known.timeline}` : null,
    money(known) ? `budget: ${money(known)}` : null,
  ].filter(Boolean);
  const quoted = maskPii(input.lastMessage.replace(/\s+/g, " ").trim()).text.slice(0, 280);
  const sentences = [
    `${who} ${reasonText[input.reason]}.`,
    details.length > 0 ? `Known so far: ${details.join("; ")}.` : "Nothing qualified yet.",
    `Last message (${languageName[input.language]}): "${quoted}"`,
  ];
  const timeline = timelineUrgency(known.timeline);
  const urgent = input.angry || input.intent === "complaint" || timeline === "high";
  return {
    need: known.need === null ? null : maskPii(known.need).text,
    budget: money(known),
    product: known.product_interest,
    urgency: urgent ? "high" : input.reason === "high_value_lead" || timeline === "normal" ? "normal" : "low",
    unansweredQuestion: input.unansweredQuestion === null ? null : maskPii(input.unansweredQuestion).text,
    sentiment: input.angry || input.intent === "complaint" ? "negative" : "neutral",
    intent: input.intent,
    confidence: Math.round(input.confidence * 100) / 100,
    language: input.language,
    text: sentences.join(" ").slice(0, 1200),
  };
}
