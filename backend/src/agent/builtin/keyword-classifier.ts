/**
 * Placeholder classifier: a few English keywords per intent. Replaced by the trained built-in
 * classifier; kept only until then so the agent has something to call.
 */
import type { Intent } from "@salesbot/shared";
import { detectLanguage } from "../../domain/agent/language.js";
import type { IntentClassifier, IntentResult } from "../../domain/agent/intent-classifier.js";

const rules: Array<[Intent, RegExp]> = [
  ["opt_out", /^\s*(stop|unsubscribe)\s*$/i],
  ["human_request", /\b(human|person|agent|representative|operator)\b/i],
  ["complaint", /\b(complain|complaint|terrible|awful|angry|worst|unacceptable)\b/i],
  ["sensitive_data", /\b(card|iban|password|passport|refund|fraud)\b/i],
  ["contract", /\b(contract|terms|cancellation fee)\b/i],
  ["pricing", /\b(price|pricing|quote|cost|discount|how much)\b/i],
  ["purchase_intent", /\b(buy|order|purchase)\b/i],
  ["appointment", /\b(demo|meeting|appointment|call me)\b/i],
  ["greeting", /^\s*(hi|hello|hey)\b/i],
  ["faq", /\?$/],
];

export class KeywordIntentClassifier implements IntentClassifier {
  classify(text: string): IntentResult {
    const language = detectLanguage(text);
    const hit = rules.find(([, pattern]) => pattern.test(text));
    return hit ? { intent: hit[0], confidence: 0.6, language } : { intent: "other", confidence: 0.3, language };
  }
}
