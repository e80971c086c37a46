import type { Intent } from "@salesbot/shared";

/**
 * A pattern over the normalised text (lowercase, no accents, no apostrophes, single spaces) and how
 * strongly a match speaks for its intent, in logit units added to the model's score.
 */
export interface LexiconRule {
  intent: Intent;
  pattern: RegExp;
  weight: number;
}

/** Weights by how sure a match is. Escalations must not be missed, so their patterns are the sure kind. */
export const SURE = 6;
export const LIKELY = 3.5;
export const HINT = 2;

export function rules(intent: Intent, weight: number, patterns: RegExp[]): LexiconRule[] {
  return patterns.map((pattern) => ({ intent, pattern, weight }));
}

/** Matches when every group of alternatives occurs somewhere in the text, in any order (Dutch and German verbs go last). */
export function allOf(...groups: string[]): RegExp {
  return new RegExp(`^${groups.map((g) => `(?=.*\\b(?:${g})\\b)`).join("")}`);
}
