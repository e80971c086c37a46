/**
 * The statistical half of the classifier, trained from the hand-written examples when first needed.
 *
 * Why train at start-up rather than commit a model file: the examples are the source of truth and
 * stay readable in review; a committed JSON of weights (tens of thousands of n-grams × 11 intents)
 * would be megabytes of noise that can drift from the examples. Training (about 2,250 sentences,
 * 12 epochs) takes 0.2-0.3 s of one core, cold, once per process (`npm run bench:agent` prints it),
 * and is deterministic (seeded shuffle), so every process and every test run gets the very same model.
 */
import { intents, type Intent } from "@salesbot/shared";
import { trainingExamples } from "./examples/index.js";
import { featurize } from "./features.js";
import { normalize, tokenize } from "./normalize.js";
import { SoftmaxRegression, type TrainingExample } from "./softmax-regression.js";

export const TRAINING_OPTIONS = { epochs: 12, learningRate: 0.5, l2: 1e-4, seed: 7 } as const;

export interface IntentModel {
  regression: SoftmaxRegression;
  intents: readonly Intent[];
}

function* examples(): Generator<TrainingExample> {
  const features = new Map<string, number>();
  for (const byIntent of Object.values(trainingExamples)) {
    for (const [label, intent] of intents.entries()) {
      for (const text of byIntent[intent]) yield { features: featurize(tokenize(normalize(text)), features), label };
    }
  }
}

export function trainIntentModel(): IntentModel {
  return { regression: SoftmaxRegression.train(examples(), { classes: intents.length, ...TRAINING_OPTIONS }), intents };
}

let shared: IntentModel | null = null;

/** One model per process: it never changes after training, so all classifiers can share it. */
export function sharedIntentModel(): IntentModel {
  shared ??= trainIntentModel();
  return shared;
}
