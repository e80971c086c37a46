/**
 * Turns a WhatsApp message into the tokens the lexicons and the model see. Customers drop accents,
 * apostrophes and capitals at will ("nao", "dont", "HELP"), so all three are folded away; stretched
 * letters ("pleeeease") are shortened so they meet the written form, and a few emojis that carry
 * intent on their own become words.
 */
const emojiWords: Array<[RegExp, string]> = [
  [/[\u{1F620}\u{1F621}\u{1F92C}\u{1F624}\u{1F44E}\u{1F4A2}]/gu, " emojiangry "],
  [/[\u{1F44B}]/gu, " emojiwave "],
  [/[\u{1F64F}]/gu, " emojithanks "],
];

export function normalize(text: string): string {
  let out = text;
  for (const [pattern, word] of emojiWords) out = out.replace(pattern, word);
  return (
    out
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .replace(/https?:\/\/\S+|www\.\S+/g, " urltoken ")
      // Bounded, so a long unbroken string cannot make the match quadratic.
      .replace(/[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,24}/g, " emailtoken ")
      .replace(/(\p{L})['’`´](?=\p{L})/gu, "$1")
      .replace(/(\p{L})\1{2,}/gu, "$1$1")
      .replace(/\d+(?:[.,]\d+)*/g, " 0 ")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim()
  );
}

export function tokenize(normalized: string): string[] {
  return normalized.length === 0 ? [] : normalized.split(" ");
}
