import { describe, expect, it } from "vitest";
import { learnedFrom, outputFormat, parseOutput } from "./output.js";

const valid = {
  intent: "faq",
  confidence: 0.8,
  action: "reply",
  text: "We integrate natively with HubSpot and Salesforce.",
  field: null,
  handoff_reason: null,
  source_id: "integrations",
  summary: ["Asked about CRM integrations."],
  learned: { need: null, product_interest: null, company_size: 25, timeline: " next month ", budget: 0, budget_currency: null, company: null },
};

/** OpenAI's strict mode: every object closed, every property required, all the way down. */
function strictProblems(node: unknown, path = "$"): string[] {
  if (typeof node !== "object" || node === null) return [];
  const n = node as Record<string, unknown>;
  const problems: string[] = [];
  if (n.type === "object") {
    const keys = Object.keys((n.properties ?? {}) as object);
    if (n.additionalProperties !== false) problems.push(`${path} is open`);
    if (JSON.stringify([...((n.required as string[]) ?? [])].sort()) !== JSON.stringify([...keys].sort())) problems.push(`${path} leaves keys optional`);
  }
  for (const [key, value] of Object.entries(n)) problems.push(...strictProblems(value, `${path}.${key}`));
  return problems;
}

describe("the model's output format", () => {
  it("is a strict JSON schema generated from the zod schema", () => {
    expect(outputFormat).toMatchObject({ type: "json_schema", json_schema: { name: "agent_decision", strict: true } });
    expect(outputFormat.json_schema.schema).not.toHaveProperty("$schema");
    expect(strictProblems(outputFormat.json_schema.schema)).toEqual([]);
    expect(outputFormat.json_schema.schema).toMatchObject({ properties: { intent: { enum: expect.arrayContaining(["faq", "pricing", "opt_out"]) } } });
  });

  it("parses a valid answer and keeps only the fields the model filled", () => {
    const parsed = parseOutput(JSON.stringify(valid));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(learnedFrom(parsed.output)).toEqual({ company_size: 25, timeline: "next month" });
  });

  it.each([
    ["not JSON", "{\"intent\": \"faq\"", "invalid_json"],
    ["an unknown intent", JSON.stringify({ ...valid, intent: "buy_now" }), "schema_mismatch"],
    ["a confidence above 1", JSON.stringify({ ...valid, confidence: 1.5 }), "schema_mismatch"],
    ["a missing field", JSON.stringify({ ...valid, learned: undefined }), "schema_mismatch"],
    ["a negative team size", JSON.stringify({ ...valid, learned: { ...valid.learned, company_size: -3 } }), "schema_mismatch"],
  ])("rejects %s", (_, content, reason) => {
    expect(parseOutput(content)).toEqual({ ok: false, reason });
  });
});
