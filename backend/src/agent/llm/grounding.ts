/**
 * When a model's reply may be sent in its own words: only when every sentence of it is quoted from the
 * knowledge entry it cites (a whole sentence of the entry, or a run of at least four of its words,
 * ignoring case, accents and punctuation), or is a bare courtesy ("Yes.", "Sure!"). A paraphrase can
 * flip a "not", swap two prices or slip in a persona; a quote cannot, so no judgement of the model's
 * is needed. Translations do not pass: tenants publish entries in each language they serve.
 */
import type { KnowledgeEntry } from "@salesbot/shared";

const MIN_QUOTED_WORDS = 4;

const COURTESY = new Set(
  `yes sure of course certainly absolutely good great question happy to help glad hi hello thanks thank you
  si claro por supuesto gracias hola sim certo obrigado obrigada ola ja zeker natuurlijk bedankt hallo naturlich gerne danke`.split(/\s+/),
);

const normalise = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/([€$£%])/g, " $1 ")
    .replace(/[^\p{L}\p{N}€$£%]+/gu, " ")
    .trim();

const sentences = (text: string): string[] => text.split(/(?<=[.!?])\s+|\n+/).map(normalise).filter(Boolean);

export function quotesSource(reply: string, entry: KnowledgeEntry): boolean {
  const source = ` ${normalise(`${entry.title}\n${entry.body}`)} `;
  const whole = new Set(sentences(`${entry.title}\n${entry.body}`));
  const parts = sentences(reply);
  if (parts.length === 0) return false;
  let quoted = 0;
  for (const part of parts) {
    const words = part.split(" ");
    if (words.every((word) => COURTESY.has(word))) continue;
    if (!whole.has(part) && (words.length < MIN_QUOTED_WORDS || !source.includes(` ${part} `))) return false;
    quoted++;
  }
  // Courtesy alone answers nothing.
  return quoted > 0;
}
