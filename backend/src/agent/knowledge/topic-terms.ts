/**
 * The words of a question that say what it is about: folded (case, accents), without stopwords.
 * Retrieval ranks on them, and a question with none ("how much is it?") names no topic at all.
 */
import { stopwords } from "./stopwords.js";

export const fold = (text: string): string => text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");

export function topicTerms(text: string): string[] {
  return [...new Set((fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1 && !stopwords.has(w)))];
}
