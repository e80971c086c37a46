/**
 * The agent's vocabulary as it crosses process boundaries: intents, qualification fields, the handoff
 * summary a rep reads in the CRM, and the labels of the evaluation data.
 */
import { z } from "zod";

export const languages = ["en", "es", "pt", "nl", "de"] as const;
export const ZLanguage = z.enum(languages);
export type Language = z.infer<typeof ZLanguage>;

export const intents = [
  "greeting",
  "faq",
  "purchase_intent",
  "pricing",
  "contract",
  "complaint",
  "human_request",
  "sensitive_data",
  "appointment",
  "opt_out",
  "other",
] as const;
export const ZIntent = z.enum(intents);
export type Intent = z.infer<typeof ZIntent>;

export const qualificationFields = ["need", "company_size", "timeline", "budget", "product_interest", "name", "company", "email"] as const;
export const ZQualificationField = z.enum(qualificationFields);
export type QualificationField = z.infer<typeof ZQualificationField>;

export const ZQualification = z.object({
  need: z.string().max(500).nullable().default(null),
  company_size: z.number().int().positive().nullable().default(null),
  timeline: z.string().max(200).nullable().default(null),
  budget: z.number().nonnegative().nullable().default(null),
  budget_currency: z.string().length(3).nullable().default(null),
  product_interest: z.string().max(200).nullable().default(null),
  name: z.string().max(200).nullable().default(null),
  company: z.string().max(200).nullable().default(null),
  email: z.string().email().nullable().default(null),
});
export type Qualification = z.infer<typeof ZQualification>;

export const handoffReasons = [
  "human_requested",
  "complaint",
  "pricing_or_contract",
  "payment_or_identity",
  "unknown_answer",
  "high_value_lead",
  "vip",
  "low_confidence",
] as const;
export const ZHandoffReason = z.enum(handoffReasons);
export type HandoffReason = z.infer<typeof ZHandoffReason>;

export const ZPriority = z.enum(["low", "normal", "high", "urgent"]);
export type Priority = z.infer<typeof ZPriority>;

export const ZSentiment = z.enum(["positive", "neutral", "negative"]);

/** What the rep reads when a conversation is handed over: enough never to ask the customer again. */
export const ZHandoffSummary = z.object({
  need: z.string().nullable(),
  budget: z.string().nullable(),
  product: z.string().nullable(),
  urgency: z.enum(["low", "normal", "high"]),
  unansweredQuestion: z.string().nullable(),
  sentiment: ZSentiment,
  intent: ZIntent,
  confidence: z.number().min(0).max(1),
  language: ZLanguage,
  text: z.string().min(1).max(1200),
});
export type HandoffSummary = z.infer<typeof ZHandoffSummary>;

export const evalLabels = ["human_request", "complaint", "payment_or_identity", "pricing_or_contract", "purchase_intent", "faq", "other"] as const;
export const ZEvalLabel = z.enum(evalLabels);
export type EvalLabel = z.infer<typeof ZEvalLabel>;

export const ZEvalRow = z.looseObject({ text: z.string(), label: ZEvalLabel });

/** Per-tenant agent settings. Every field has a default, so a new installation works out of the box. */
export const ZEscalationSettings = z.object({
  enabledReasons: z.array(ZHandoffReason).default([...handoffReasons]),
  /** A lead score at or above this hands off as a high-value lead. */
  highValueScore: z.number().int().min(0).max(100).default(70),
  /** An open deal worth at least this hands off as a high-value lead. */
  highValueDealValue: z.number().nonnegative().default(25_000),
  /** A customer who wants to buy, or asks prices or a meeting, for at least this many people or seats is a high-value lead. */
  highValueCompanySize: z.number().int().positive().default(100),
  /** Below this intent confidence the bot does not guess. */
  lowConfidence: z.number().min(0).max(1).default(0.35),
  /** Which team gets which reason; unlisted reasons go to `defaultTeam`. */
  teams: z.partialRecord(ZHandoffReason, z.string().min(1)).default({ complaint: "support", payment_or_identity: "support" }),
  defaultTeam: z.string().min(1).default("sales"),
});
export type EscalationSettings = z.infer<typeof ZEscalationSettings>;

export const ZBusinessHours = z.object({
  timezone: z.string().default("UTC"),
  /** 0 = Sunday … 6 = Saturday; "09:00"–"17:30" local time. An empty list means always open. */
  openings: z.array(z.object({ day: z.number().int().min(0).max(6), from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })).default([]),
});
export type BusinessHours = z.infer<typeof ZBusinessHours>;

export const ZAgentSettings = z.object({
  companyName: z.string().min(1).default("our team"),
  escalation: ZEscalationSettings.default(ZEscalationSettings.parse({})),
  businessHours: ZBusinessHours.default(ZBusinessHours.parse({})),
  /** Minimum retrieval score for a knowledge-base answer; below it the bot hands off instead of guessing. */
  knowledgeThreshold: z.number().min(0).default(0.55),
  /** Overrides of the built-in customer-facing messages, per language. */
  messages: z.partialRecord(ZLanguage, z.object({ handoff: z.string().optional(), handoffOutOfHours: z.string().optional() })).default({}),
});
export type AgentSettings = z.infer<typeof ZAgentSettings>;

export const ZKnowledgeEntry = z.object({
  id: z.string().min(1).max(120),
  /** "overview": what the product is and does, the answer to a question that names no topic ("how does it work?"). */
  kind: z.enum(["faq", "document", "price", "overview"]),
  title: z.string().min(1).max(300),
  body: z.string().min(1).max(20_000),
  language: ZLanguage.default("en"),
});
export type KnowledgeEntry = z.infer<typeof ZKnowledgeEntry>;
