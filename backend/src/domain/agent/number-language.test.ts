import { describe, expect, it } from "vitest";
import { detectLanguage } from "./language.js";
import { languageOfNumber } from "./number-language.js";

describe("the language of a number's country", () => {
  it.each([
    ["+4915112345678", "de"],
    ["4366412345678", "de"],
    ["+31612345678", "nl"],
    ["+5511987654321", "pt"],
    ["+351912345678", "pt"],
    ["+5215512345678", "es"],
    ["+34612345678", "es"],
    ["+16505550123", "en"],
    ["+447700900123", "en"],
    ["+33612345678", null],
    ["+41791234567", null],
    [null, null],
  ] as const)("%s → %s", (number, language) => {
    expect(languageOfNumber(number)).toBe(language);
  });

  it("settles only a tie at the top, and only before the conversation has a language", () => {
    expect(detectLanguage("Hallo", null, "de")).toBe("de");
    expect(detectLanguage("Hallo", null, "nl")).toBe("nl");
    // Neither language of the tie is the number's: the one more customers speak.
    expect(detectLanguage("Hallo", null, "en")).toBe("de");
    expect(detectLanguage("Hallo", "nl", "de")).toBe("nl");
    expect(detectLanguage("Hola, buenas tardes", null, "pt")).toBe("es");
  });
});
