import { describe, expect, it } from "vitest";
import { ZBusinessHours } from "@salesbot/shared";
import { isOpen } from "./business-hours.js";
import { detectLanguage } from "./language.js";
import { isOptIn, isOptOut } from "./opt-out.js";

describe("language detection on short messages", () => {
  it.each([
    ["Hi, how much does it cost?", "en"],
    ["Hola, ¿cuánto cuesta el plan?", "es"],
    ["Olá, quanto custa o plano?", "pt"],
    ["Hallo, wat kost het pakket?", "nl"],
    ["Hallo, was kostet das Paket?", "de"],
    ["quiero hablar con una persona", "es"],
    ["quero falar com uma pessoa", "pt"],
    ["ik wil graag iemand spreken", "nl"],
    ["ich möchte mit einem Menschen sprechen", "de"],
  ] as const)("%j is %s", (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it("keeps the conversation's language when a message gives no clue", () => {
    expect(detectLanguage("ok 👍", "de")).toBe("de");
    expect(detectLanguage("ok 👍")).toBe("en");
  });
});

describe("opt-out keywords", () => {
  it.each(["STOP", "stop", "Unsubscribe", "baja", "parar", "sair", "afmelden", "abmelden", "Stop."])("%j opts out", (text) => {
    expect(isOptOut(text)).toBe(true);
  });
  it.each(["please don't stop the demo", "stop sending me invoices by post, use email", "can I unsubscribe later?"])("%j inside a sentence does not", (text) => {
    expect(isOptOut(text)).toBe(false);
  });
  it("recognises opting back in", () => {
    expect(isOptIn("START")).toBe(true);
    expect(isOptIn("start the trial")).toBe(false);
  });
});

describe("business hours", () => {
  const hours = ZBusinessHours.parse({ timezone: "Europe/Amsterdam", openings: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "18:00" })) });
  it("is open on a weekday morning in the team's zone and closed at night and on Sunday", () => {
    expect(isOpen(hours, Date.UTC(2026, 10, 24, 9, 0))).toBe(true); // Tuesday 10:00 in Amsterdam
    expect(isOpen(hours, Date.UTC(2026, 10, 24, 17, 30))).toBe(false); // 18:30 there
    expect(isOpen(hours, Date.UTC(2026, 10, 29, 11, 0))).toBe(false); // Sunday
  });
  it("is always open when no hours are set", () => {
    expect(isOpen(ZBusinessHours.parse({}), Date.UTC(2026, 10, 29, 3, 0))).toBe(true);
  });
});
