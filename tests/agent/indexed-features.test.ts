import { describe, expect, it } from "vitest";
import { featurize } from "../../backend/src/agent/builtin/intent/features.js";
import { IndexedFeatures } from "../../backend/src/agent/builtin/intent/indexed-features.js";
import { trainingExamples } from "../../backend/src/agent/builtin/intent/examples/index.js";
import { sharedIntentModel } from "../../backend/src/agent/builtin/intent/model.js";
import { normalize, tokenize } from "../../backend/src/agent/builtin/intent/normalize.js";
import { heldOut } from "./intent-heldout.js";

const model = sharedIntentModel();
const tokensOf = (text: string) => tokenize(normalize(text));
/** The reference: the feature map the model was trained on, scored by the model. */
const reference = (tokens: string[]) => model.regression.logits(featurize(tokens));

const texts = [
  ...Object.values(trainingExamples).flatMap((byIntent) => Object.values(byIntent).flat()),
  ...Object.values(heldOut).flatMap((byIntent) => Object.values(byIntent).flat()),
  "",
  "the the the there then theme",
  "banana bananas anabanana",
  `please look at ${"x".repeat(45)} and ${"supercalifragilisticexpialidocious"} now`,
  "zzqx wvvk unknownwordsonly",
  "Hello, which CRM integrations do you support? ".repeat(40),
];

describe("IndexedFeatures", () => {
  it("scores every training and held-out sentence exactly as the feature map does, to the bit", () => {
    const indexed = new IndexedFeatures(model.regression);
    expect(texts.length).toBeGreaterThan(2000);
    for (const text of texts) {
      const tokens = tokensOf(text);
      expect(Array.from(indexed.logits(tokens)), text).toEqual(Array.from(reference(tokens)));
    }
  });

  it("gives the same scores when a message comes again, after others, and after its ids were forgotten", () => {
    const indexed = new IndexedFeatures(model.regression, 300);
    const sample = texts.filter((_, i) => i % 37 === 0);
    const first = sample.map((text) => Array.from(indexed.logits(tokensOf(text))));
    const again = [...sample].reverse().map((text) => Array.from(indexed.logits(tokensOf(text)))).reverse();
    expect(again).toEqual(first);
    expect(first).toEqual(sample.map((text) => Array.from(reference(tokensOf(text)))));
  });

  it("scores a message of no words as the model's bias alone", () => {
    const indexed = new IndexedFeatures(model.regression);
    expect(Array.from(indexed.logits([]))).toEqual(Array.from(reference([])));
  });
});
