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
