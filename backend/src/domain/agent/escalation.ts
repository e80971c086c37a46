/**
 * When the bot must stop and a person must take over, and how urgently. The reasons are checked in
 * order of what costs most to get wrong; a tenant can switch reasons off and route each to a team.
 */
import type { EscalationSettings, HandoffReason, Intent, Priority } from "@salesbot/shared";

export interface EscalationSignals {
  intent: Intent;
  confidence: number;
  /** A quote, discount, deal or contract term: never answered by the bot. */
  wantsSpecificOffer: boolean;
  /** The question (or the request for a demo or a call) is routine but the knowledge base has no approved answer. */
  unanswerable: boolean;
  vip: boolean;
  dealValue: number | null;
  leadScore: number;
  /** People or seats the customer stated, if any. */
  companySize: number | null;
  /** Strong negative words, insults, repeated complaints. */
  angry: boolean;
  /** The message answered the question the bot asked: an unclassifiable intent is expected then. */
  answeredQuestion: boolean;
  /** The message gave the last answer qualification needed: the lead is as qualified as the bot can make it. */
  justQualified: boolean;
  /** The message said what the customer wants or what goes wrong today: their need, a wish to buy in all but name. */
  toldTheirNeed: boolean;
  /** An approved entry answers the message above the relevance threshold. */
  answeredFromSource: boolean;
}

export interface Escalation {
  reason: HandoffReason;
  priority: Priority;
  team: string;
}

/** How sure the classifier must be of a request or complaint in a message that answered the bot's question. */
const SURE_BEYOND_AN_ANSWER = 0.6;

function candidates(s: EscalationSignals, settings: EscalationSettings): Array<[HandoffReason, Priority]> {
  const highValue =
    s.leadScore >= settings.highValueScore ||
    (s.dealValue !== null && s.dealValue >= settings.highValueDealValue) ||
    (s.companySize !== null && s.companySize >= settings.highValueCompanySize);
  // An intent the classifier only guesses at names no reason of its own: "I need a WhatsApp bot for my
  // sales team", read as sensitive data at 27 %, is not a payment matter. The signals still count, and
  // a guess still ends in a low-confidence handoff below, unless it answered our question.
  // An answer to our question ("this quarter", "the Pro plan") is what we asked for: what else the classifier
  // reads in its few words takes more certainty to act on than a message of the customer's own.
  const threshold = s.answeredQuestion ? Math.max(settings.lowConfidence, SURE_BEYOND_AN_ANSWER) : settings.lowConfidence;
  const sure = (intent: Intent) => s.intent === intent && s.confidence >= threshold;
  const list: Array<[HandoffReason, Priority] | null> = [
    sure("sensitive_data") ? ["payment_or_identity", "high"] : null,
    sure("human_request") ? ["human_requested", s.vip || s.angry ? "urgent" : "high"] : null,
    sure("complaint") || s.angry ? ["complaint", s.vip || s.angry ? "urgent" : "high"] : null,
    s.vip && s.intent !== "greeting" && s.intent !== "opt_out" ? ["vip", "high"] : null,
    // Asking for a quote or a discount is a pricing request whatever else the message is about.
    sure("contract") || s.wantsSpecificOffer ? ["pricing_or_contract", highValue ? "high" : "normal"] : null,
    // A big lead goes to a person when it shows it wants to buy (asks to, asks the price or a meeting, or says
    // what it needs), or once the bot has nothing left to ask.
    highValue && (s.intent === "purchase_intent" || s.intent === "pricing" || s.intent === "appointment" || s.toldTheirNeed || s.justQualified) ? ["high_value_lead", "high"] : null,
    // An opt-out the bot did not carry out, for it came with a condition ("no marketing, but I still want the
    // demo"): a person sorts out what the customer does and does not want.
    sure("opt_out") ? ["low_confidence", "normal"] : null,
    // A demo or a call nobody's approved entry books: a person arranges it, soon, as for a hot lead.
    s.unanswerable && sure("appointment") ? ["human_requested", "high"] : null,
    // "I want to buy it, how do I pay?": a buyer ready now, whose question no entry answers, is answered soon.
    s.unanswerable ? ["unknown_answer", sure("purchase_intent") ? "high" : "normal"] : null,
    // Unsure what the message is, but an approved entry answers it: the entry is the answer, checked as any is.
    s.confidence < settings.lowConfidence && s.intent !== "greeting" && !s.answeredQuestion && !s.answeredFromSource ? ["low_confidence", "normal"] : null,
  ];
  return list.filter((c): c is [HandoffReason, Priority] => c !== null);
}

export function escalationFor(signals: EscalationSignals, settings: EscalationSettings): Escalation | null {
  const enabled = new Set(settings.enabledReasons);
  const chosen = candidates(signals, settings).find(([reason]) => enabled.has(reason));
  if (!chosen) return null;
  const [reason, priority] = chosen;
  return { reason, priority, team: settings.teams[reason] ?? settings.defaultTeam };
}
