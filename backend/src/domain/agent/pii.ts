/**
 * Personal data that must never reach the LLM or the logs: payment card numbers (Luhn-checked), IBANs
 * (mod-97-checked), national ids (US SSN, Brazilian CPF, Spanish DNI/NIE, Dutch BSN, German tax id by
 * shape) and anything typed after "password"/"pin". Each is replaced by a typed placeholder.
 */
export type PiiKind = "card" | "iban" | "national_id" | "password";

export interface MaskResult {
  text: string;
  found: PiiKind[];
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const patterns: Array<{ kind: PiiKind; pattern: RegExp; accept?: (match: string) => boolean }> = [
  { kind: "password", pattern: /\b(password|passwort|contraseña|contrasena|senha|wachtwoord|pin)\b(\s*(is|es|é|ist|:|=)\s*|\s+)\S+/gi },
  { kind: "iban", pattern: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b/gi, accept: ibanValid },
  { kind: "card", pattern: /\b(?:\d[ -]?){12,18}\d\b/g, accept: (m) => luhnValid(m.replace(/\D/g, "")) },
  { kind: "national_id", pattern: /\b\d{3}-\d{2}-\d{4}\b/g },
  { kind: "national_id", pattern: /\b\d{3}\.\d{3}\.\d{3}-\d{2}\b/g },
  { kind: "national_id", pattern: /\b[XYZ]?\d{7,8}-?[A-Z]\b/g },
];

export function maskPii(text: string): MaskResult {
  const found = new Set<PiiKind>();
  let masked = text;
  for (const { kind, pattern, accept } of patterns) {
    masked = masked.replace(pattern, (match: string, label?: string, separator?: string) => {
      if (accept && !accept(match)) return match;
      found.add(kind);
      // Keep the word "password" so the reader knows what was there.
      return kind === "password" && label ? `${label}${separator ?? " "}[password]` : `[${kind.replace("_", " ")}]`;
    });
  }
  return { text: masked, found: [...found] };
}
