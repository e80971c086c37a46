import { describe, expect, it } from "vitest";
import { languages } from "@salesbot/shared";
import { detectLanguage } from "../../backend/src/domain/agent/language.js";
import { languageSamples } from "./language-samples.js";

describe("language detection on short WhatsApp messages", () => {
  for (const language of languages) {
    it(`recognises ${language}`, () => {
      const wrong = languageSamples[language].filter((text) => detectLanguage(text) !== language);
      expect(wrong).toEqual([]);
    });
  }

  it("recognises the one-word opt-out keywords", () => {
    expect(detectLanguage("BAJA")).toBe("es");
    expect(detectLanguage("SAIR")).toBe("pt");
    expect(detectLanguage("AFMELDEN")).toBe("nl");
    expect(detectLanguage("ABMELDEN")).toBe("de");
  });

  it("keeps the conversation's language when a message carries none, or ties", () => {
    expect(detectLanguage("👍", "nl")).toBe("nl");
    expect(detectLanguage("ok", "de")).toBe("de");
    expect(detectLanguage("12345", null)).toBe("en");
  });

  it("does not leave the conversation's language on a lone letter or a lone word", () => {
    expect(detectLanguage("Q1", "en")).toBe("en");
    expect(detectLanguage("50k", "en")).toBe("en");
    expect(detectLanguage("no", "de")).toBe("de");
    expect(detectLanguage("Pro", "en")).toBe("en");
    expect(detectLanguage("muchas gracias", "en")).toBe("es");
    expect(detectLanguage("hola q tal", "en")).toBe("es");
  });

  it("answers a language it does not speak in English, or in the conversation's language", () => {
    expect(detectLanguage("Bonjour, vous parlez français ?")).toBe("en");
    expect(detectLanguage("Buongiorno, vorrei sapere il prezzo")).toBe("en");
    expect(detectLanguage("merci beaucoup", "es")).toBe("es");
    // A French word in a supported language's sentence changes nothing.
    expect(detectLanguage("call me at 5pm EST please")).toBe("en");
    expect(detectLanguage("Merci! Quanto custa o plano Growth?")).toBe("pt");
  });

  it("reads no language into a web or e-mail address", () => {
    expect(detectLanguage("https://globex.com")).toBe("en");
    expect(detectLanguage("mail me at ana@globex.com")).toBe("en");
    expect(detectLanguage("o site é globex.com.br, vocês podem ajudar?")).toBe("pt");
    expect(detectLanguage("com certeza")).toBe("pt");
  });

  it("reads stretched and unaccented spellings", () => {
    // A double letter is a spelling, not a stretch: "soon" is English, not Spanish "son".
    expect(detectLanguage("soon", "en")).toBe("en");
    expect(detectLanguage("soon")).toBe("en");
    expect(detectLanguage("good, need it soon")).toBe("en");
    expect(detectLanguage("holaaaa")).toBe("es");
    expect(detectLanguage("nao consigo pagar")).toBe("pt");
    expect(detectLanguage("ich mochte kundigen")).toBe("de");
  });
});
