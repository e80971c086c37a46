/**
 * The sparse features the model reads: word unigrams, word bigrams (with the message's start and end,
 * because "hi" opening a message means more than "hi" in the middle), and character 3- to 5-grams of
 * each word so that typos ("refnud", "complant") still share most of their grams with the word they
 * meant. Char grams are weighted down: they are many, and the words should lead. The vector is scaled
 * to unit length so a long rant does not outweigh a short request just by its length.
 */
export const CHAR_GRAM_WEIGHT = 0.35;
const MIN_GRAM = 3;
const MAX_GRAM = 5;
/** Longer "words" are links, hashes or keyboard mashing: their grams would only cost time. */
const MAX_GRAM_WORD = 30;
/** Words repeat across messages, so each word's keys are built once; the cap bounds memory on odd input. */
const CACHE_LIMIT = 50_000;

/** The bigram neighbours of a message's first and last word. */
export const START_OF_MESSAGE = "^";
export const END_OF_MESSAGE = "$";
export const bigramKey = (previous: string, token: string): string => `b|${previous} ${token}`;

interface WordKeys {
  word: string;
  grams: readonly string[];
}

const cache = new Map<string, WordKeys>();

/** A word's own feature and its character grams, built once per word. */
export function wordKeys(token: string): WordKeys {
  const cached = cache.get(token);
  if (cached) return cached;
  const grams: string[] = [];
  if (token.length >= MIN_GRAM && token.length <= MAX_GRAM_WORD) {
    const padded = `<${token}>`;
    for (let n = MIN_GRAM; n <= MAX_GRAM; n++) {
      for (let i = 0; i + n <= padded.length; i++) grams.push(`c|${padded.slice(i, i + n)}`);
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const keys = { word: `w|${token}`, grams };
  cache.set(token, keys);
  return keys;
}

/** Fills `into` (cleared first, so training can reuse one map for thousands of examples). */
export function featurize(tokens: readonly string[], into: Map<string, number> = new Map()): Map<string, number> {
  const features = into;
  features.clear();
  if (tokens.length === 0) return features;
  let previous = START_OF_MESSAGE;
  for (const token of tokens) {
    const keys = wordKeys(token);
    features.set(keys.word, (features.get(keys.word) ?? 0) + 1);
    const bigram = bigramKey(previous, token);
    features.set(bigram, (features.get(bigram) ?? 0) + 1);
    for (const gram of keys.grams) features.set(gram, (features.get(gram) ?? 0) + CHAR_GRAM_WEIGHT);
    previous = token;
  }
  const end = bigramKey(previous, END_OF_MESSAGE);
  features.set(end, (features.get(end) ?? 0) + 1);
  let norm = 0;
  for (const value of features.values()) norm += value * value;
  const scale = 1 / Math.sqrt(norm);
  for (const [key, value] of features) features.set(key, value * scale);
  return features;
}
