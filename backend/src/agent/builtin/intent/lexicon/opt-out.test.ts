import { describe, expect, it } from "vitest";
import { normalize } from "../normalize.js";
import { isOptOut } from "./opt-out.js";

const optOut = (text: string) => isOptOut(normalize(text));

describe("opt-out recognition", () => {
  it("recognises the keywords alone, with politeness around them", () => {
    for (const text of ["STOP", "Stop!", "unsubscribe", "stop please", "BAJA", "baja por favor", "Parar", "sair", "afmelden aub", "Abmelden, danke", "stopp"]) expect(optOut(text), text).toBe(true);
  });

  it("recognises explicit requests to stop the messages, in each language", () => {
    for (const text of [
      "please stop messaging me",
      "remove me from your list",
      "no me manden más mensajes",
      "não quero mais receber mensagens",
      "stuur me geen berichten meer",
      "schickt mir nichts mehr",
    ]) expect(optOut(text), text).toBe(true);
  });

  it("ignores the keywords inside other requests and newsletter or account matters", () => {
    for (const text of ["stop charging my card", "how do I stop my subscription", "unsubscribe me from the newsletter", "stop sending me emails about my account", "no", "I can't stop smiling"]) {
      expect(optOut(text), text).toBe(false);
    }
  });
});
