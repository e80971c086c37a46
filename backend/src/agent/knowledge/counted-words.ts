/**
 * A number in a question says how many of something: "can I connect two numbers?" asks about two
 * numbers, and an entry that says onboarding takes "one to two weeks" shares the word "two" but not
 * the question. A number counts as covered only where the entry writes it next to a word the question
 * writes it next to ("14-day trial", "two weeks"), or, when the question puts it beside no topic word
 * ("is it two?"), wherever the entry writes it.
 */
import { fold } from "./fold.js";
import { stopwords } from "./stopwords.js";

const NUMBER_WORDS = new Set(
  `two three four five six seven eight nine ten eleven twelve twenty fifty hundred thousand
  dos tres cuatro cinco seis siete ocho nueve diez doce veinte cien mil
  dois duas três quatro cinco seis sete oito nove dez doze vinte cem
  twee drie vier vijf zes zeven acht negen tien twaalf twintig honderd duizend
  zwei drei vier fünf sechs sieben acht neun zehn zwölf zwanzig hundert tausend`
    .split(/\s+/)
    .filter(Boolean)
    .map(fold),
);

export const isCount = (term: string): boolean => /^\p{N}+$/u.test(term) || NUMBER_WORDS.has(term);

/** Every count in `text`, with the topic words written right before and after it. */
export function countContexts(text: string): Map<string, Set<string>> {
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  const contexts = new Map<string, Set<string>>();
  words.forEach((word, i) => {
    if (!isCount(word)) return;
    const beside = contexts.get(word) ?? new Set<string>();
    for (const neighbour of [words[i - 1], words[i + 1]]) if (neighbour !== undefined && !stopwords.has(neighbour)) beside.add(neighbour);
    contexts.set(word, beside);
  });
  return contexts;
}

/** "days" and "day", "numbers" and "number": one word inflected. */
const sameWord = (a: string, b: string): boolean => a === b || (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a)));

/** The entry writes the question's count `term` the way the question does (see the module's comment). */
export function coversCount(term: string, question: Map<string, Set<string>>, entry: Map<string, Set<string>>): boolean {
  const inEntry = entry.get(term);
  if (!inEntry) return false;
  const inQuestion = [...(question.get(term) ?? [])];
  if (inQuestion.length === 0) return true;
  return inQuestion.some((word) => [...inEntry].some((beside) => sameWord(word, beside)));
}
