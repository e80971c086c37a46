/**
 * What the model must answer with, as one zod schema: the JSON schema sent as the strict structured
 * output format is generated from it, and the model's answer is parsed with it, never cast. A schema
 * that only constrains what OpenAI's strict mode understands (types, enums, nullability, numeric
 * bounds) keeps the two in agreement; lengths are capped after parsing.
 */
import { z } from "zod";
import { ZHandoffReason, ZIntent, ZQualificationField, type Qualification } from "@salesbot/shared";

export const OUTPUT_NAME = "agent_decision";

const ZLearned = z.object({
  need: z.string().nullable(),
  product_interest: z.string().nullable(),
  company_size: z.number().int().min(1).max(1_000_000).nullable(),
  timeline: z.string().nullable(),
  budget: z.number().min(0).nullable(),
  budget_currency: z.enum(["EUR", "USD", "GBP", "BRL"]).nullable(),
  company: z.string().nullable(),
});

export const ZModelOutput = z.object({
  intent: ZIntent,
  confidence: z.number().min(0).max(1),
  action: z.enum(["reply", "question", "handoff"]),
  /** The answer for `reply`; ignored otherwise (questions and notices are worded by us). */
  text: z.string(),
  /** The qualification field a `question` asks for. */
  field: ZQualificationField.nullable(),
  handoff_reason: ZHandoffReason.nullable(),
  /** The knowledge entry a `reply` answers from, as returned by search_knowledge. */
  source_id: z.string().nullable(),
  /** Two or three sentences for the person who takes over. */
  summary: z.array(z.string()),
  learned: ZLearned,
});
export type ModelOutput = z.infer<typeof ZModelOutput>;

function jsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(ZModelOutput) as Record<string, unknown>;
  return schema;
}

export const outputFormat = {
  type: "json_schema" as const,
  json_schema: { name: OUTPUT_NAME, strict: true, schema: jsonSchema() },
};

export type ParsedOutput = { ok: true; output: ModelOutput } | { ok: false; reason: "invalid_json" | "schema_mismatch" };

export function parseOutput(content: string): ParsedOutput {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, reason: "invalid_json" };
  }
  const parsed = ZModelOutput.safeParse(json);
  return parsed.success ? { ok: true, output: parsed.data } : { ok: false, reason: "schema_mismatch" };
}

const cap = (value: string | null, max: number): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
};

/** The qualification answers the model read, without the fields it left empty. */
export function learnedFrom(output: ModelOutput): Partial<Qualification> {
  const l = output.learned;
  const found: Partial<Qualification> = {};
  const need = cap(l.need, 500);
  if (need) found.need = need;
  const product = cap(l.product_interest, 200);
  if (product) found.product_interest = product;
  if (l.company_size !== null) found.company_size = l.company_size;
  const timeline = cap(l.timeline, 200);
  if (timeline) found.timeline = timeline;
  if (l.budget !== null && l.budget > 0) {
    found.budget = l.budget;
    found.budget_currency = l.budget_currency;
  }
  const company = cap(l.company, 200);
  if (company) found.company = company;
  return found;
}
