/**
 * Phone numbers in E.164. WhatsApp ids (`wa_id`, `from`) are digits without the plus; people type
 * spaces, dashes, brackets and a leading 00. Without a country code a number is ambiguous (Meta would
 * prepend the business number's own code), so such input is refused rather than guessed.
 */
export function toE164(input: string): string | null {
  let digits = input.trim();
  if (digits.startsWith("+")) digits = digits.slice(1);
  else if (digits.startsWith("00")) digits = digits.slice(2);
  digits = digits.replace(/[\s\-().]/g, "");
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null;
  return `+${digits}`;
}

/** The `wa_id` form of an E.164 number: digits only. */
export function toWaId(e164: string): string {
  return e164.replace(/^\+/, "");
}
