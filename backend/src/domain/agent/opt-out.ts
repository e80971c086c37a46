/**
 * Opt-out and opt-in keywords in the supported languages. A message that is nothing but one of these
 * words (WhatsApp users type "STOP" alone) is an opt-out; inside a sentence it is not.
 */
const OPT_OUT = /^\s*(stop|stop all|unsubscribe|opt[ -]?out|cancel|end|quit|baja|darme de baja|parar|para|detener|sair|cancelar|descadastrar|afmelden|uitschrijven|abmelden|abbestellen|stopp)\s*[.!]*\s*$/i;
const OPT_IN = /^\s*(start|unstop|subscribe|opt[ -]?in|alta|suscribir|voltar|assinar|aanmelden|anmelden)\s*[.!]*\s*$/i;

export function isOptOut(text: string): boolean {
  return OPT_OUT.test(text);
}

export function isOptIn(text: string): boolean {
  return OPT_IN.test(text);
}
