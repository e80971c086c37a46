/**
 * The labelled evaluation sets live in ../shared/data beside the checkout. A user's clone has no
 * ../shared: the real-data eval skips there, and fails on CI where the data must exist.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const SHARED_DATA_DIR = resolve(import.meta.dirname, "../../../shared/data");
export const EVAL_FILES = ["support-escalation.en.jsonl", "support-escalation.clinc150.en.jsonl"] as const;

export function sharedDataAvailable(): boolean {
  const present = EVAL_FILES.every((file) => existsSync(resolve(SHARED_DATA_DIR, file)));
  if (!present && process.env.CI) throw new Error(`CI must have the evaluation data at ${SHARED_DATA_DIR}`);
  return present;
}
