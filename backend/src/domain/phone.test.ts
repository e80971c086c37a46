import { describe, expect, it } from "vitest";
import { toE164, toWaId } from "./phone.js";

describe("E.164 phone numbers", () => {
  it.each([
    ["16505551234", "+16505551234"],
    ["+1 (650) 555-1234", "+16505551234"],
    ["0031 6 1234 5678", "+31612345678"],
    ["+55 11 91234-5678", "+5511912345678"],
  ])("%s → %s", (input, e164) => {
    expect(toE164(input)).toBe(e164);
    expect(toWaId(e164)).toBe(e164.slice(1));
  });

  it.each(["", "abc", "+0123456789", "12345", "+1234567890123456", "US.13491208655302741918"])("refuses %j", (input) => {
    expect(toE164(input)).toBeNull();
  });
});
