/**
 * The built-in intent classifier: a trained model proposes, high-precision lexicons push. Each
 * lexicon match adds a fixed amount to its intent's logit (the strongest match per intent, not the
 * sum, so ten angry words do not outvote a clear request); then a softmax gives the intent and a
 * confidence that accounts for both. Opt-out keywords are decided before anything else: they must
 * work even when everything else is unsure.
 */
import type { Intent, Language } from "@salesbot/shared";
import { detectLanguage } from "../../../domain/agent/language.js";
import type { IntentClassifier, IntentResult } from "../../../domain/agent/intent-classifier.js";
import { IndexedFeatures } from "./indexed-features.js";
import { isOnlyPleasantries, isOptOut, lexicon, withoutOpeningSalutation } from "./lexicon/index.js";
import { LIKELY } from "./lexicon/types.js";
import { sharedIntentModel, type IntentModel } from "./model.js";
import { normalize, tokenize } from "./normalize.js";
import { softmax } from "./softmax-regression.js";
import { correctToken } from "./spelling.js";

/** Bursts can be long; the first few thousand characters say what the customer wants. */
const MAX_CHARS = 2000;
const OPT_OUT_CONFIDENCE = 0.97;
const EMPTY_CONFIDENCE = 0.1;
/** How sure the model must be to call an opt-out that no opt-out rule recognised. */
const MODEL_OPT_OUT_MIN = 0.8;
/** The most a pure guess (no known word, no lexicon match) may claim. */
const GUESS_CONFIDENCE = 0.3;

export interface IntentExplanation extends IntentResult {
  /** Probability per intent after the lexicon boosts (absent when a rule decided alone). */
  scores: Partial<Record<Intent, number>>;
  /** Intents whose lexicon patterns matched. */
  matched: Intent[];
}

interface Reading extends IntentResult {
  probabilities: Float64Array | null;
  matched: Intent[];
}

export class BuiltinIntentClassifier implements IntentClassifier {
  private readonly model: IntentModel;
  /** Reused on every call (classify is synchronous), so a turn leaves little garbage behind. */
  private readonly features: IndexedFeatures;
  private readonly intentIndex: ReadonlyMap<Intent, number>;

  constructor(model: IntentModel = sharedIntentModel()) {
    this.model = model;
    this.features = new IndexedFeatures(model.regression);
    this.intentIndex = new Map(model.intents.map((intent, k) => [intent, k]));
    // The first call compiles some hundred regular expressions and warms the JIT (~50 ms): pay it
    // here, at start-up, rather than on the first customer's turn.
    this.read("hi, how much is it? I can't log in", null);
  }

  private readonly knowsWord = (word: string): boolean => this.model.regression.knows(`w|${word}`);

  classify(text: string, previousLanguage: Language | null = null): IntentResult {
    const { intent, confidence, language } = this.read(text, previousLanguage);
    return { intent, confidence, language };
  }

  /** The same decision with its workings, for debugging and diagnostics. */
  explain(text: string, previousLanguage: Language | null = null): IntentExplanation {
    const { probabilities, ...result } = this.read(text, previousLanguage);
    const scores = probabilities ? Object.fromEntries(this.model.intents.map((intent, k) => [intent, probabilities[k]!])) : {};
    return { ...result, scores };
  }

  private read(text: string, previousLanguage: Language | null): Reading {
    const clipped = text.slice(0, MAX_CHARS);
    const language = detectLanguage(clipped, previousLanguage);
    const normalized = normalize(clipped);
    if (normalized.length === 0) return { intent: "other", confidence: EMPTY_CONFIDENCE, language, probabilities: null, matched: [] };
    if (isOptOut(normalized)) return { intent: "opt_out", confidence: OPT_OUT_CONFIDENCE, language, probabilities: null, matched: ["opt_out"] };

    const allTokens = tokenize(normalized).map((t) => correctToken(t, this.knowsWord));
    const tokens = [...withoutOpeningSalutation(allTokens)];
    const corrected = tokens.join(" ");
    const logits = this.features.logits(tokens);
    const boosts = new Map<Intent, number>();
    for (const rule of lexicon) {
      if (rule.pattern.test(corrected)) boosts.set(rule.intent, Math.max(boosts.get(rule.intent) ?? 0, rule.weight));
    }
    if (isOnlyPleasantries(allTokens.join(" "))) boosts.set("greeting", Math.max(boosts.get("greeting") ?? 0, LIKELY));
    for (const [intent, boost] of boosts) logits[this.intentIndex.get(intent)!]! += boost;
    const probabilities = softmax(logits);

    let best = 0;
    for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
    // Opting out silences the customer for good: the model alone may only do it when it is sure.
    // Otherwise the runner-up stands ("no" answers a question; it is not an opt-out).
    if (best === this.intentIndex.get("opt_out") && probabilities[best]! < MODEL_OPT_OUT_MIN) {
      let runnerUp = best === 0 ? 1 : 0;
      for (let k = 0; k < probabilities.length; k++) if (k !== best && probabilities[k]! > probabilities[runnerUp]!) runnerUp = k;
      best = runnerUp;
    }
    const matched = [...boosts.keys()];
    const knownWords = tokens.filter(this.knowsWord).length;
    // A message the model has never seen a word of, with no lexicon match, is a guess: say so.
    if (boosts.size === 0 && knownWords === 0) {
      return { intent: "other", confidence: Math.min(GUESS_CONFIDENCE, probabilities[best]!), language, probabilities, matched };
    }
    // Without a lexicon match, the share of words the model knows tempers its probability.
    const coverage = knownWords / tokens.length;
    const confidence = boosts.size > 0 ? probabilities[best]! : probabilities[best]! * (0.5 + 0.5 * coverage);
    return { intent: this.model.intents[best]!, confidence, language, probabilities, matched };
  }
}
