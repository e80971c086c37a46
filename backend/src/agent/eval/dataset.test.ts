import { describe, expect, it } from "vitest";
import { parseDataset } from "./dataset.js";

describe("eval dataset parsing", () => {
  it("keeps good rows with their line numbers, ignores extra fields and blank lines", () => {
    const { rows, problems } = parseDataset('{"text":"hi","label":"other","source":"x"}\n\n{"text":"refund","label":"payment_or_identity"}\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 1, text: "hi", label: "other" },
      { line: 3, text: "refund", label: "payment_or_identity" },
    ]);
  });

  it("reports each bad line: broken JSON, unknown label, missing text", () => {
    const { rows, problems } = parseDataset('{"text":"ok","label":"faq"}\n{"text": oops}\n{"text":"x","label":"pricing"}\n{"label":"faq"}\r\n');
    expect(rows).toHaveLength(1);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.message).toMatch(/not valid JSON/);
    expect(problems[1]!.message).toMatch(/^label: /);
    expect(problems[2]!.message).toMatch(/^text: /);
  });
});
