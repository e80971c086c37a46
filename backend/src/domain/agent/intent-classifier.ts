/**
 * The intent of one customer turn, with a confidence in [0, 1]. Pure and synchronous: the built-in
 * engine answers within milliseconds, and the LLM engine falls back on it.
 */
import type { Intent, Language } from "@salesbot/shared";

export interface IntentResult {
  intent: Intent;
  confidence: number;
  language: Language;
}

export interface IntentClassifier {
  classify(text: string, previousLanguage?: Language | null): IntentResult;
}
