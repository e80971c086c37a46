/**
 * Turns the model's validated answer into a decision, trusting it only as far as it can be checked:
 * a reply must quote an entry that search_knowledge returned in this decision; a question is sent in
 * our own words, so the model only picks the field; a handoff is always safe to accept. Anything that
 * fails a check is rejected, and the built-in decision is used instead.
 */
import type { HandoffReason, Priority } from "@salesbot/shared";
import type { AgentDecision, AgentInput } from "../../domain/agent.js";
import { isOpen } from "../../domain/agent/business-hours.js";
import { notedBefore, phrases } from "../../domain/agent/messages.js";
import { mergeQualification } from "../../domain/agent/qualification.js";
import { buildHandoffSummary } from "../../domain/agent/summary.js";
import { quotesSource } from "./grounding.js";
import type { KnowledgeSession } from "./knowledge-tool.js";
import { learnedFrom, type ModelOutput } from "./output.js";
import { masked } from "./prompt.js";

export type Rejection = "uncited_reply" | "unknown_source" | "unquoted_reply" | "question_field" | "reason_disabled";
export type ModelDecision = { ok: true; decision: AgentDecision } | { ok: false; reason: Rejection };

const reject = (reason: Rejection): ModelDecision => ({ ok: false, reason });
const accept = (decision: AgentDecision): ModelDecision => ({ ok: true, decision });

const priorityOf = (reason: HandoffReason): Priority => (reason === "complaint" || reason === "human_requested" || reason === "payment_or_identity" ? "high" : "normal");

export function decisionFromModel(input: AgentInput, baseline: AgentDecision, output: ModelOutput, knowledge: KnowledgeSession): ModelDecision {
  // What our own extraction read wins over the model's reading of the same words.
  const learned = { ...learnedFrom(output), ...baseline.learned };
  const base = { intent: output.intent, confidence: output.confidence, language: baseline.language, learned };
  const words = phrases[baseline.language];
  const last = input.pending[input.pending.length - 1]?.text ?? "";

  switch (output.action) {
    case "reply": {
      if (!output.source_id) return reject("uncited_reply");
      const entry = knowledge.shownEntry(output.source_id);
      if (!entry) return reject("unknown_source");
      if (!quotesSource(output.text, entry)) return reject("unquoted_reply");
      return accept({ ...base, kind: "reply", text: output.text.trim(), sourceId: entry.id });
    }
    case "question": {
      const field = output.field;
      const known = mergeQualification(input.customer.known, learned);
      if (!field || known[field] !== null || input.customer.askedFields.includes(field)) return reject("question_field");
      // The built-in greeting already asks this, in friendlier words.
      if (baseline.kind === "question" && baseline.field === field) return accept(baseline);
      const question = words.questions[field];
      const noted = notedBefore(base.language, input.customer.askedFields.length);
      return accept({ ...base, kind: "question", field, text: Object.keys(learned).length > 0 ? `${noted} ${question}` : question });
    }
    case "handoff": {
      const reason = output.handoff_reason ?? "unknown_answer";
      const escalation = input.settings.escalation;
      if (!escalation.enabledReasons.includes(reason)) return reject("reason_disabled");
      const custom = input.settings.messages[baseline.language];
      const open = isOpen(input.settings.businessHours, input.now);
      const summary = buildHandoffSummary({
        customerName: input.customer.name,
        known: mergeQualification(input.customer.known, learned),
        intent: output.intent,
        confidence: output.confidence,
        language: baseline.language,
        reason,
        angry: false,
        lastMessage: input.pending.map((t) => t.text).join(" / "),
        unansweredQuestion: reason === "unknown_answer" || reason === "pricing_or_contract" ? last : null,
      });
      // The model's notes are for a colleague, labelled as unverified; masked like everything else.
      const notes = output.summary.map((s) => s.trim()).filter(Boolean).slice(0, 3).join(" ");
      const text = notes ? `${summary.text} Assistant's notes (unverified): ${masked(notes)}` : summary.text;
      return accept({
        ...base,
        kind: "handoff",
        reason,
        priority: priorityOf(reason),
        team: escalation.teams[reason] ?? escalation.defaultTeam,
        customerNotice: open ? (custom?.handoff ?? words.handoff) : (custom?.handoffOutOfHours ?? words.handoffOutOfHours),
        summary: { ...summary, text: text.slice(0, 1200) },
      });
    }
    default:
      return output.action satisfies never;
  }
}
