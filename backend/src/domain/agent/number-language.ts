/**
 * The supported language most spoken where a WhatsApp number is registered, from its country calling
 * code. Only a tie-breaker for a customer's first words ("Hallo" is Dutch and German alike): what
 * the customer writes always decides. Countries where none of our languages is the usual one, or
 * where two are, give none.
 */
import type { Language } from "@salesbot/shared";

const byCallingCode: Record<string, Language> = {
  // German
  "49": "de", "43": "de", "423": "de",
  // Dutch
  "31": "nl", "32": "nl", "597": "nl",
  // Spanish
  "34": "es", "52": "es", "53": "es", "54": "es", "56": "es", "57": "es", "58": "es", "51": "es", "502": "es", "503": "es", "504": "es",
  "505": "es", "506": "es", "507": "es", "591": "es", "593": "es", "595": "es", "598": "es", "240": "es",
  // Portuguese
  "55": "pt", "351": "pt", "244": "pt", "258": "pt", "238": "pt", "245": "pt", "239": "pt", "670": "pt",
  // English
  "1": "en", "44": "en", "61": "en", "64": "en", "353": "en",
};

/** `e164`: "+4915112345678" or its digits. */
export function languageOfNumber(e164: string | null): Language | null {
  const digits = e164?.replace(/\D/g, "") ?? "";
  for (const length of [3, 2, 1]) {
    const language = byCallingCode[digits.slice(0, length)];
    if (language) return language;
  }
  return null;
}
