/**
 * Short WhatsApp-style messages per language for the language detector, written after its word
 * lists were settled and not used to tune them.
 */
import type { Language } from "@salesbot/shared";

export const languageSamples: Record<Language, string[]> = {
  en: ["hey can u help me", "whats the price pls", "ok thanks a lot", "i need this by friday", "where is my order??", "is anyone there", "sounds good to me", "my card doesnt work"],
  es: ["hola necesito ayuda", "cuánto sale esto?", "ok muchas gracias", "lo necesito para el viernes", "dónde está mi pedido??", "hay alguien ahí", "me parece bien", "mi tarjeta no funciona"],
  pt: ["oi preciso de ajuda", "quanto fica isso?", "ok muito obrigado", "preciso disso até sexta", "cadê meu pedido??", "tem alguém aí", "por mim tá ótimo", "meu cartão não funciona"],
  nl: ["hoi kun je me helpen", "wat kost dit?", "oké heel erg bedankt", "ik heb het vrijdag nodig", "waar blijft mijn bestelling??", "is daar iemand", "klinkt goed", "mijn pas doet het niet"],
  de: ["hallo kannst du mir helfen", "was kostet das?", "ok vielen dank", "ich brauche das bis freitag", "wo bleibt meine bestellung??", "ist da jemand", "klingt gut", "meine karte geht nicht"],
};
