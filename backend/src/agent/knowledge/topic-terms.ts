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

/** "set up", "sign up", "log in": written apart, one word in the entries ("setup", "signup", "login"). */
const PHRASAL_VERBS = /\b(set|sign|log)\s+(up|in)\b/g;

/** "Boa tarde, têm teste grátis?", "Hola / buenas tardes / quería info": greetings in front say how, not what about. */
function withoutGreetings(text: string): string {
  let rest = text;
  for (let greetings = 0; greetings < 3 && OPENING_GREETING.test(rest); greetings++) rest = rest.replace(OPENING_GREETING, "");
  return rest;
}

export function topicTerms(text: string): string[] {
  const terms: string[] = [];
  let previous: string | null = null;
  let previousWord: string | null = null;
  for (const word of fold(withoutGreetings(text)).replace(PHRASAL_VERBS, "$1$2").match(/[\p{L}\p{N}]+/gu) ?? []) {
    const topical = word.length > 1 && !stopwords.has(word) && !(word === "long" && previousWord === HOW);
    if (topical && !(TIME.has(word) && previous !== null)) terms.push(word);
    previous = topical ? word : null;
    previousWord = word;
  }
  return [...new Set(terms)];
}
