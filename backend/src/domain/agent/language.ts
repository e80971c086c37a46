/**
 * Which of the supported languages a message is in, from function words and greetings: short
 * messages are the norm on WhatsApp, so a handful of very common words decides. Falls back to the
 * conversation's earlier language, then English.
 */
import type { Language } from "@salesbot/shared";

const markers: Record<Language, string[]> = {
  en: ["the", "and", "is", "are", "i", "you", "my", "to", "for", "what", "how", "can", "please", "hello", "hi", "thanks", "want", "need", "with", "do", "it", "of", "your", "price"],
  es: ["el", "la", "los", "las", "y", "es", "que", "de", "para", "por", "quiero", "necesito", "hola", "gracias", "cómo", "como", "cuánto", "cuanto", "mi", "con", "una", "un", "precio", "usted", "puedo", "qué", "buenos", "días"],
  pt: ["o", "os", "as", "e", "é", "que", "de", "para", "por", "quero", "preciso", "olá", "ola", "obrigado", "obrigada", "como", "quanto", "meu", "minha", "com", "uma", "um", "preço", "você", "posso", "não", "bom", "dia", "vocês", "falar"],
  nl: ["de", "het", "een", "en", "is", "ik", "je", "jullie", "u", "wil", "graag", "hallo", "dank", "bedankt", "hoe", "wat", "mijn", "met", "voor", "niet", "prijs", "kan", "kunnen", "goedemorgen", "spreken", "mag"],
  de: ["der", "die", "das", "und", "ist", "ich", "sie", "du", "möchte", "mochte", "brauche", "hallo", "danke", "wie", "was", "mein", "meine", "mit", "für", "fur", "nicht", "preis", "kann", "können", "guten", "tag", "bitte", "sprechen"],
};

const index = new Map<string, Language[]>();
for (const [language, words] of Object.entries(markers) as Array<[Language, string[]]>) {
  for (const word of words) index.set(word, [...(index.get(word) ?? []), language]);
}

export function detectLanguage(text: string, previous: Language | null = null): Language {
  const scores: Record<Language, number> = { en: 0, es: 0, pt: 0, nl: 0, de: 0 };
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  for (const word of words) {
    const hits = index.get(word);
    if (!hits) continue;
    // A word shared by several languages says less than one that only one language uses.
    for (const language of hits) scores[language] += 1 / hits.length;
  }
  if (/[ãõç]/.test(text)) scores.pt += 1;
  if (/[ñ¿¡]/.test(text)) scores.es += 1;
  if (/[äöüß]/.test(text)) scores.de += 1;
  if (/\b(ij|oe)\w*/.test(text.toLowerCase())) scores.nl += 0.5;
  const ranked = (Object.entries(scores) as Array<[Language, number]>).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] === 0) return previous ?? "en";
  if (second && best[1] === second[1] && previous && (previous === best[0] || previous === second[0])) return previous;
  return best[0];
}
