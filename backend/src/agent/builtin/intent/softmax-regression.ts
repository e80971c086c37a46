/**
 * Multinomial logistic regression over sparse features, trained by plain SGD. Chosen over naive Bayes
 * because its probabilities are usable as a confidence (naive Bayes multiplies correlated n-gram
 * evidence and ends up at 0.999 for almost anything), and over a library because this is ~80 lines
 * with no dependency to keep up to date.
 *
 * Training is deterministic: a seeded shuffle, a fixed schedule, no wall-clock anything. L2 decay is
 * applied to the weights an example touches (the usual sparse approximation), which keeps logits
 * modest so a softmax of 0.95 means something.
 */
export interface TrainingExample {
  features: ReadonlyMap<string, number>;
  label: number;
}

export interface TrainingOptions {
  classes: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

/** mulberry32: a tiny seeded PRNG, so the same examples always give the same model. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function softmaxInPlace(logits: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) if (logits[k]! > max) max = logits[k]!;
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    logits[k] = Math.exp(logits[k]! - max);
    sum += logits[k]!;
  }
  for (let k = 0; k < logits.length; k++) logits[k]! /= sum;
}

/** Interns one example's features; a function of its own for the same reason as sgdStep. */
function appendRow(features: ReadonlyMap<string, number>, vocabulary: Map<string, number>, K: number, indices: number[], values: number[]): void {
  features.forEach((value, key) => {
    let index = vocabulary.get(key);
    if (index === undefined) {
      index = vocabulary.size;
      vocabulary.set(key, index);
    }
    indices.push(index * K);
    values.push(value);
  });
}

interface StepState {
  K: number;
  weights: Float64Array;
  bias: Float64Array;
  scores: Float64Array;
  featureIndex: Int32Array;
  featureValue: Float64Array;
}

/**
 * One SGD step on one example, kept as its own small function: V8 optimises a hot function within a
 * few calls, whereas one long loop inside train() would run unoptimised for a good part of training.
 */
function sgdStep(s: StepState, from: number, to: number, label: number, rate: number, decay: number): void {
  const { K, weights, bias, scores, featureIndex, featureValue } = s;
  for (let k = 0; k < K; k++) scores[k] = bias[k]!;
  for (let f = from; f < to; f++) {
    const base = featureIndex[f]!;
    const value = featureValue[f]!;
    for (let k = 0; k < K; k++) scores[k]! += weights[base + k]! * value;
  }
  softmaxInPlace(scores);
  for (let k = 0; k < K; k++) scores[k] = rate * (scores[k]! - (k === label ? 1 : 0));
  for (let f = from; f < to; f++) {
    const base = featureIndex[f]!;
    const value = featureValue[f]!;
    for (let k = 0; k < K; k++) weights[base + k] = weights[base + k]! * decay - value * scores[k]!;
  }
  for (let k = 0; k < K; k++) bias[k]! -= scores[k]!;
}

export class SoftmaxRegression {
  private constructor(
    private readonly vocabulary: Map<string, number>,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly classes: number,
  ) {}

  /**
   * Examples are consumed one at a time and copied into flat arrays at once, so the caller may hand
   * over the same feature map for every example (no per-example garbage).
   */
  static train(examples: Iterable<TrainingExample>, options: TrainingOptions): SoftmaxRegression {
    const K = options.classes;
    const { l2, learningRate, epochs } = options;
    const vocabulary = new Map<string, number>();
    const indices: number[] = [];
    const values: number[] = [];
    const starts: number[] = [];
    const labelList: number[] = [];
    for (const { features, label } of examples) {
      starts.push(indices.length);
      labelList.push(label);
      appendRow(features, vocabulary, K, indices, values);
    }
    starts.push(indices.length);
    // Flat typed arrays: the SGD loop walks memory in order.
    const featureIndex = Int32Array.from(indices);
    const featureValue = Float64Array.from(values);
    const rowStart = Int32Array.from(starts);
    const labels = Int32Array.from(labelList);
    const count = labels.length;
    // Each class weighs the same in total, however many examples it happens to have.
    const perClass = new Float64Array(K);
    for (const label of labels) perClass[label]!++;
    const classWeight = perClass.map((n) => (n === 0 ? 0 : count / (K * n)));

    const weights = new Float64Array(vocabulary.size * K);
    const bias = new Float64Array(K);
    const model: StepState = { K, weights, bias, scores: new Float64Array(K), featureIndex, featureValue };
    const random = prng(options.seed);
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const totalSteps = epochs * count;
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const swap = order[i]!;
        order[i] = order[j]!;
        order[j] = swap;
      }
      for (let i = 0; i < count; i++) {
        const r = order[i]!;
        const rate = learningRate * (1 - step / totalSteps) + 1e-3;
        step++;
        const label = labels[r]!;
        sgdStep(model, rowStart[r]!, rowStart[r + 1]!, label, classWeight[label]! * rate, 1 - rate * l2);
      }
    }
    return new SoftmaxRegression(vocabulary, weights, bias, K);
  }

  /** Raw class scores; unknown features are ignored, so an empty message gives the bias alone. */
  logits(features: Map<string, number>): Float64Array {
    const K = this.classes;
    const scores = Float64Array.from(this.bias);
    for (const [key, value] of features) {
      const index = this.vocabulary.get(key);
      if (index === undefined) continue;
      const base = index * K;
      for (let k = 0; k < K; k++) scores[k]! += this.weights[base + k]! * value;
    }
    return scores;
  }

  /** The feature's row of weights, or -1 when training never saw it. */
  rowOf(feature: string): number {
    return this.vocabulary.get(feature) ?? -1;
  }

  /** `logits` for features given by row (see indexed-features.ts): the first `count` of each list, in that order. */
  scores(rows: readonly number[], values: readonly number[], count: number): Float64Array {
    const K = this.classes;
    const scores = Float64Array.from(this.bias);
    for (let i = 0; i < count; i++) {
      const base = rows[i]! * K;
      const value = values[i]!;
      for (let k = 0; k < K; k++) scores[k]! += this.weights[base + k]! * value;
    }
    return scores;
  }

  knows(feature: string): boolean {
    return this.vocabulary.has(feature);
  }
}

export function softmax(logits: Float64Array): Float64Array {
  const copy = Float64Array.from(logits);
  softmaxInPlace(copy);
  return copy;
}
