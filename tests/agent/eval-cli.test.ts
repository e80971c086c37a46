/**
 * The eval CLI as other tools use it: a child process, flags, exit codes, and a JSON last line.
 * All runs start together in beforeAll: each pays for tsx and model training, so in parallel the
 * file takes about as long as one run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const CLI = join(ROOT, "backend/src/agent/eval/cli.ts");
const TINY = join(ROOT, "tests/fixtures/eval-tiny.jsonl");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(TSX, [CLI, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("eval CLI", () => {
  let tiny: Run;
  let bad: Run;
  let llm: Run;
  let missing: Run;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "eval-cli-"));
    const badFile = join(dir, "bad.jsonl");
    writeFileSync(badFile, '{"text":"hi","label":"other"}\nnot json\n{"text":"x","label":"nonsense"}\n');
    [tiny, bad, llm, missing] = await Promise.all([
      runCli(["--data", TINY, "--json"]),
      runCli(["--data", badFile]),
      runCli(["--data", TINY, "--engine", "llm", "--json"]),
      runCli(["--engine", "builtin"]),
    ]);
  }, 60_000);

  it("scores the tiny set and ends with the JSON summary, figures as computed by hand", () => {
    expect(tiny.code, tiny.stderr).toBe(0);
    const lines = tiny.stdout.trim().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]!);
    expect(Object.keys(summary)).toEqual(["accuracy", "macro_f1", "labels"]);
    // 6 rows, 5 right; the refund row labelled complaint is predicted payment_or_identity.
    expect(summary.accuracy).toBeCloseTo(5 / 6, 10);
    expect(summary.labels.complaint).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(summary.labels.payment_or_identity).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(summary.labels.human_request).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(summary.labels.faq.support).toBe(0);
    // Macro over the 5 labels present: (1 + 2/3 + 2/3 + 1 + 1) / 5.
    expect(summary.macro_f1).toBeCloseTo((3 + 4 / 3) / 5, 10);
  });

  it("prints the table, the macro-F1 convention and the confusion matrix for people", () => {
    expect(tiny.stdout).toMatch(/label\s+precision\s+recall\s+f1\s+support/);
    expect(tiny.stdout).toContain("mean F1 over the 5 labels with support > 0");
    expect(tiny.stdout).toContain("confusion matrix (rows: gold label, columns: predicted label)");
  });

  it("names each bad line and scores nothing", () => {
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("2 bad line(s)");
    expect(bad.stderr).toMatch(/line 2: not valid JSON/);
    expect(bad.stderr).toMatch(/line 3: label: /);
    expect(bad.stdout).toBe("");
  });

  it("accepts --engine llm and either scores or says clearly that the engine is unavailable", () => {
    if (llm.code === 0) {
      const lines = llm.stdout.trim().split("\n");
      expect(JSON.parse(lines[lines.length - 1]!)).toHaveProperty("macro_f1");
    } else {
      expect(llm.code).toBe(3);
      expect(llm.stderr).toMatch(/"llm" agent engine is not available/);
    }
  });

  it("requires --data", () => {
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--data is required");
  });
});
