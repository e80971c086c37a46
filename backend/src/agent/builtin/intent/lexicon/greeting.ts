/**
 * A message made only of greetings, thanks, farewells and pleasantries is small talk, whatever
 * language it is in. Anything else in the message (a question, a request) and the model decides.
 */
const pleasantries = new Set(
  (
    "hi hello hey hiya heya yo sup howdy hallo hoi hola ola oi oii oie moin servus ciao hellooo heyy hii helo " +
    "good morning afternoon evening night day buenos buenas dias tardes noches bom boa dia tarde noite goedemorgen goedemiddag goedenavond goeiemorgen guten morgen tag abend gruss gott grussgott " +
    "thanks thank you thx ty tnx cheers gracias muchas mil obrigado obrigada valeu vlw bedankt dank je wel dankjewel danke schon vielen " +
    "bye goodbye cya chao adios hasta luego tchau doei tot ziens tschuss wiedersehen auf later see " +
    "how are u r doing going whats up what s tal que qué como estas tudo bem gaat het gehts geht s es alles klar goed oke ok okay " +
    "there team all everyone guys folks again and emojiwave emojithanks so much a lot lots very nice great perfect cool awesome fine"
  ).split(" "),
);
const anchors = /\b(?:hi|hello|hey|hiya|yo|sup|howdy|hallo|hoi|hola|ola|oi|oii|moin|servus|ciao|good|buenos|buenas|bom|boa|goedemorgen|goedemiddag|goedenavond|guten|thanks|thank|thx|ty|tnx|cheers|gracias|obrigado|obrigada|valeu|vlw|bedankt|dank|dankjewel|danke|bye|goodbye|chao|adios|tchau|doei|tschuss|wiedersehen|emojiwave|emojithanks)\b/;

export function isOnlyPleasantries(normalized: string): boolean {
  const words = normalized.split(" ").filter((w) => w.length > 0);
  return words.length > 0 && words.length <= 8 && anchors.test(normalized) && words.every((w) => pleasantries.has(w));
}

const openingSalutation = new RegExp(
  "^(?:(?:hi|hello|hey|hiya|heya|howdy|hallo|hoi|hola|ola|oi|moin|servus|ciao|emojiwave|good (?:morning|afternoon|evening|day)|" +
    "buenos dias|buenas (?:tardes|noches)|bom dia|boa (?:tarde|noite)|goedemorgen|goedemiddag|goedenavond|guten (?:morgen|tag|abend))" +
    "(?: (?:there|team|all|everyone|guys|folks))? )+",
);

/**
 * "Hi, is there a free trial?" asks about the trial: the salutation in front says nothing about
 * what the customer wants, but its words pull a short question towards small talk. Returns the
 * tokens after an opening salutation, or all of them when little or nothing would be left.
 */
export function withoutOpeningSalutation(tokens: readonly string[]): readonly string[] {
  const joined = tokens.join(" ");
  const match = openingSalutation.exec(`${joined} `);
  if (!match) return tokens;
  const rest = tokens.slice(match[0].trim().split(" ").length);
  return rest.length >= 2 ? rest : tokens;
}
