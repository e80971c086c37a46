/**
 * Reads an evaluation file: JSON Lines, each a {"text", "label"} object (extra fields ignored).
 * Blank lines are skipped; every other line must parse, and each one that does not is reported
 * with its line number, so a bad file is fixed rather than silently scored on part of its rows.
 */
import { ZEvalRow, type EvalLabel } from "@salesbot/shared";

export interface EvalRow {
  line: number;
  text: string;
  label: EvalLabel;
}

export interface DatasetProblem {
  line: number;
  message: string;
}

export function parseDataset(content: string): { rows: EvalRow[]; problems: DatasetProblem[] } {
  const rows: EvalRow[] = [];
  const problems: DatasetProblem[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = ZEvalRow.safeParse(json);
    if (!parsed.success) {
      problems.push({ line, message: parsed.error.issues.map((i) => `${i.path.join(".") || "row"}: ${i.message}`).join("; ") });
      return;
    }
    rows.push({ line, text: parsed.data.text, label: parsed.data.label });
  });
  return { rows, problems };
}
