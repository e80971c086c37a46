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
  /** The question is routine but the knowledge base has no approved answer. */
  unanswerable: boolean;
  vip: boolean;
  dealValue: number | null;
  leadScore: number;
  /** Strong negative words, insults, repeated complaints. */
  angry: boolean;
  /** The message answered the question the bot asked: an unclassifiable intent is expected then. */
  answeredQuestion: boolean;
}

export interface Escalation {
  reason: HandoffReason;
  priority: Priority;
  team: string;
}

function candidates(s: EscalationSignals, settings: EscalationSettings): Array<[HandoffReason, Priority]> {
  const highValue = s.leadScore >= settings.highValueScore || (s.dealValue !== null && s.dealValue >= settings.highValueDealValue);
  const list: Array<[HandoffReason, Priority] | null> = [
    s.intent === "sensitive_data" ? ["payment_or_identity", "high"] : null,
    s.intent === "human_request" ? ["human_requested", s.vip || s.angry ? "urgent" : "high"] : null,
    s.intent === "complaint" || s.angry ? ["complaint", s.vip || s.angry ? "urgent" : "high"] : null,
    s.vip && s.intent !== "greeting" && s.intent !== "opt_out" ? ["vip", "high"] : null,
    // Asking for a quote or a discount is a pricing request whatever else the message is about.
    s.intent === "contract" || s.wantsSpecificOffer ? ["pricing_or_contract", highValue ? "high" : "normal"] : null,
    highValue && (s.intent === "purchase_intent" || s.intent === "pricing" || s.intent === "appointment") ? ["high_value_lead", "high"] : null,
    s.unanswerable ? ["unknown_answer", "normal"] : null,
    s.confidence < settings.lowConfidence && s.intent !== "greeting" && !s.answeredQuestion ? ["low_confidence", "normal"] : null,
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
