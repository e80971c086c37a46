/**
 * Scores an agent engine on a labelled JSONL file:
 *   npm run eval -- --data FILE.jsonl [--engine builtin|llm] [--json]
 * Prints per-label precision/recall/F1/support, accuracy, macro-F1 and the confusion matrix; with
 * --json the last line is {"accuracy", "macro_f1", "labels": {...}} for scripts. Individual rows are
 * never printed: the eval files measure, they are not for reading one sentence at a time.
 *
 * Exit codes: 0 scored; 1 usage or unreadable file; 2 bad rows in the file; 3 engine unavailable.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { evalLabels } from "@salesbot/shared";
import { loadConfig } from "../../config.js";
import { AgentUnavailableError, agentEngines, createAgent, type AgentEngine } from "../create-agent.js";
import { parseDataset } from "./dataset.js";
import { computeMetrics } from "./metrics.js";
import { formatReport, jsonSummary } from "./report.js";
import { runEval } from "./run-eval.js";

const USAGE = "usage: npm run eval -- --data FILE.jsonl [--engine builtin|llm] [--json]";
const MAX_PROBLEMS_SHOWN = 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { data: { type: "string" }, engine: { type: "string", default: "builtin" }, json: { type: "boolean", default: false } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (!values.data) {
    console.error(`--data is required\n${USAGE}`);
    return 1;
  }
  if (!agentEngines.includes(values.engine as AgentEngine)) {
    console.error(`unknown engine "${values.engine}"\n${USAGE}`);
    return 1;
  }
  const engine = values.engine as AgentEngine;

  let content: string;
  try {
    content = readFileSync(values.data, "utf8");
  } catch (error) {
    console.error(`cannot read ${values.data}: ${(error as Error).message}`);
    return 1;
  }
  const { rows, problems } = parseDataset(content);
  if (problems.length > 0) {
    console.error(`${values.data}: ${problems.length} bad line(s); fix them before scoring:`);
    for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) console.error(`  line ${p.line}: ${p.message}`);
    if (problems.length > MAX_PROBLEMS_SHOWN) console.error(`  … and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
    return 2;
  }
  if (rows.length === 0) {
    console.error(`${values.data}: no rows to score`);
    return 2;
  }

  let agent;
  const buildStarted = performance.now();
  try {
    // The LLM engine reads OPENAI_* like the server does; config.ts is the one place that parses them.
    agent = createAgent({ engine, llm: engine === "llm" ? loadConfig(process.env).agent.llm : null });
  } catch (error) {
    console.error(error instanceof AgentUnavailableError ? error.message : `cannot build the "${engine}" engine: ${(error as Error).message}`);
    return 3;
  }
  const buildMs = performance.now() - buildStarted;

  const { pairs, durations } = await runEval(agent, rows);
  const metrics = computeMetrics(evalLabels, pairs);
  const sorted = [...durations].sort((a, b) => a - b);
  console.log(`engine: ${engine}   data: ${values.data}   rows: ${rows.length}`);
  console.log(`agent built in ${buildMs.toFixed(0)} ms; decide() per row: p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`);
  console.log("");
  console.log(formatReport(evalLabels, metrics));
  if (values.json) console.log(jsonSummary(evalLabels, metrics));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
