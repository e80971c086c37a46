import { describe, expect, it } from "vitest";
import { maskPii } from "./pii.js";

describe("masking personal data", () => {
  it.each([
    ["my card is 4111 1111 1111 1111 exp 12/27", "card", "4111"],
    ["card: 5500-0000-0000-0004", "card", "5500"],
    ["IBAN NL91 ABNA 0417 1643 00 please", "iban", "0417"],
    ["iban de89370400440532013000", "iban", "370400"],
    ["my SSN is 123-45-6789", "national_id", "6789"],
    ["CPF 123.456.789-09", "national_id", "456"],
    ["DNI 12345678Z", "national_id", "12345678"],
    ["password: hunter2!", "password", "hunter2"],
    ["mi contraseña es Secreta123", "password", "Secreta123"],
  ] as const)("masks %j", (text, kind, secret) => {
    const masked = maskPii(text);
    expect(masked.found).toContain(kind);
    expect(masked.text).not.toContain(secret);
  });

  it("leaves numbers that are not personal data alone", () => {
    for (const text of ["we are 25 people", "order 1234567890123 arrived", "call me at 10:30", "budget 50000 EUR", "IBAN NL00 ABNA 0000 0000 00"]) {
      expect(maskPii(text)).toEqual({ text, found: [] });
    }
  });
});
