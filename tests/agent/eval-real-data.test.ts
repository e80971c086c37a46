/**
 * The built-in engine against the shared evaluation sets, with the targets it must keep: macro-F1 of
 * at least 0.90 and recall of at least 0.95 on the three escalation labels. Runs the same pieces as
 * the eval CLI (createAgent, runEval, computeMetrics). Skipped where ../shared/data is absent.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { evalLabels } from "@salesbot/shared";
import { createAgent } from "../../backend/src/agent/create-agent.js";
import { parseDataset } from "../../backend/src/agent/eval/dataset.js";
import { computeMetrics } from "../../backend/src/agent/eval/metrics.js";
import { runEval } from "../../backend/src/agent/eval/run-eval.js";
import { EVAL_FILES, SHARED_DATA_DIR, sharedDataAvailable } from "../support/eval-data.js";

describe.skipIf(!sharedDataAvailable())("built-in engine on the shared evaluation sets", () => {
  const agent = createAgent({ engine: "builtin" });
  for (const file of EVAL_FILES) {
    it(`meets the targets on ${file}`, async () => {
      const { rows, problems } = parseDataset(readFileSync(resolve(SHARED_DATA_DIR, file), "utf8"));
      expect(problems).toEqual([]);
      const { pairs } = await runEval(agent, rows);
      const metrics = computeMetrics(evalLabels, pairs);
      expect(metrics.macroF1).toBeGreaterThanOrEqual(0.9);
      for (const label of ["human_request", "complaint", "payment_or_identity"] as const) {
        if (metrics.labels[label].support > 0) expect(metrics.labels[label].recall, label).toBeGreaterThanOrEqual(0.95);
      }
    });
  }
});
