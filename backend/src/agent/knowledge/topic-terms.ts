/**
 * The words of a question that say what it is about: folded (case, accents), without stopwords.
 * Retrieval ranks on them, and a question with none ("how much is it?") names no topic at all.
 */
import { OPENING_GREETING } from "../../domain/agent/signals.js";
import { fold } from "./fold.js";
import { stopwords } from "./stopwords.js";

/** "setup time", "opening times", "delivery time": after a topic word, "time" only says it is asked about in time. */
const TIME = new Set(["time", "times"]);
/** "How long is the trial?": "long" after "how" asks for a duration; it names no topic. */
const HOW = "how";

export function topicTerms(text: string): string[] {
  const terms: string[] = [];
  let previous: string | null = null;
  let previousWord: string | null = null;
  // "Boa tarde, têm teste grátis?": the greeting in front is how the question is asked, not what about.
  for (const word of fold(text.replace(OPENING_GREETING, "")).match(/[\p{L}\p{N}]+/gu) ?? []) {
    const topical = word.length > 1 && !stopwords.has(word) && !(word === "long" && previousWord === HOW);
    if (topical && !(TIME.has(word) && previous !== null)) terms.push(word);
    previous = topical ? word : null;
    previousWord = word;
  }
  return [...new Set(terms)];
}
