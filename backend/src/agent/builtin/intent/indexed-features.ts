/**
 * The model's scores for a message without building its feature map: what `featurize` followed by
 * `SoftmaxRegression.logits` computes, on integer ids. Every feature string gets an id once (a word's
 * grams when the word is first seen), and a message's values add up in a reused typed array. The map
 * was a third of a customer message's classification time on the reply path, and most of its garbage:
 * each turn refilled a map of some hundreds of keys.
 *
 * The result is the same to the bit: features are visited in the order `featurize` first inserts them,
 * and every sum is taken in that order (tests/agent/indexed-features.test.ts).
 */
import { CHAR_GRAM_WEIGHT, bigramKey, END_OF_MESSAGE, START_OF_MESSAGE, wordKeys } from "./features.js";
import type { SoftmaxRegression } from "./softmax-regression.js";

interface IndexedWord {
  word: number;
  grams: Int32Array;
}

/** Past this many ids, all are forgotten before the next message and given out afresh (bounds memory on odd input). */
const MAX_IDS = 1_000_000;
const INITIAL_CAPACITY = 1 << 14;

export class IndexedFeatures {
  private readonly ids = new Map<string, number>();
  private readonly words = new Map<string, IndexedWord>();
  /** Per id: the model's row for the feature, or -1 when the model never saw it. */
  private row = new Int32Array(INITIAL_CAPACITY);
  private value = new Float64Array(INITIAL_CAPACITY);
  /** Per id: the message that last touched it, so nothing needs clearing between messages. */
  private seenIn = new Int32Array(INITIAL_CAPACITY);
  private message = 0;
  private touched = new Int32Array(256);
  private count = 0;

  constructor(
    private readonly regression: SoftmaxRegression,
    private readonly maxIds: number = MAX_IDS,
  ) {}

  logits(tokens: readonly string[]): Float64Array {
    if (tokens.length === 0) return this.regression.scores([], [], 0);
    if (this.ids.size > this.maxIds || this.message === 0x7fffffff) this.forget();
    this.message++;
    this.count = 0;
    let previous = START_OF_MESSAGE;
    for (const token of tokens) {
      const word = this.word(token);
      this.add(word.word, 1);
      this.add(this.id(bigramKey(previous, token)), 1);
      for (const gram of word.grams) this.add(gram, CHAR_GRAM_WEIGHT);
      previous = token;
    }
    this.add(this.id(bigramKey(previous, END_OF_MESSAGE)), 1);

    let norm = 0;
    for (let i = 0; i < this.count; i++) {
      const value = this.value[this.touched[i]!]!;
      norm += value * value;
    }
    const scale = 1 / Math.sqrt(norm);
    const rows: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const id = this.touched[i]!;
      if (this.row[id]! < 0) continue;
      rows.push(this.row[id]!);
      values.push(this.value[id]! * scale);
    }
    return this.regression.scores(rows, values, rows.length);
  }

  private add(id: number, amount: number): void {
    if (this.seenIn[id] !== this.message) {
      this.seenIn[id] = this.message;
      this.value[id] = 0;
      if (this.count === this.touched.length) this.touched = grow(this.touched, this.count * 2);
      this.touched[this.count++] = id;
    }
    this.value[id]! += amount;
  }

  private word(token: string): IndexedWord {
    let word = this.words.get(token);
    if (!word) {
      const keys = wordKeys(token);
      word = { word: this.id(keys.word), grams: Int32Array.from(keys.grams, (gram) => this.id(gram)) };
      this.words.set(token, word);
    }
    return word;
  }

  private id(feature: string): number {
    let id = this.ids.get(feature);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(feature, id);
      if (id >= this.row.length) {
        const capacity = this.row.length * 2;
        this.row = grow(this.row, capacity);
        this.value = grow(this.value, capacity);
        this.seenIn = grow(this.seenIn, capacity);
      }
      this.row[id] = this.regression.rowOf(feature);
      this.seenIn[id] = 0;
    }
    return id;
  }

  private forget(): void {
    this.ids.clear();
    this.words.clear();
    this.seenIn.fill(0);
    this.message = 0;
  }
}

function grow<T extends Int32Array | Float64Array>(array: T, capacity: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(capacity);
  bigger.set(array);
  return bigger;
}
