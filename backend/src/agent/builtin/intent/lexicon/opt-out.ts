/**
 * Opt-out is a legal matter, not a guess: the carrier keywords (STOP, UNSUBSCRIBE, CANCEL, END, QUIT)
 * and their equivalents in each language, alone in a message, always opt out, whatever the model
 * thinks; so do explicit "stop messaging me" sentences. A keyword inside a longer sentence ("stop
 * charging my card") is not an opt-out, and unsubscribing from a newsletter or e-mails is a
 * different request, left to the model.
 */
const fillers = new Set(["please", "pls", "plz", "now", "thanks", "thank", "you", "ok", "okay", "por", "favor", "porfa", "bitte", "aub", "alstublieft", "alsjeblieft", "graag", "gracias", "obrigado", "obrigada", "danke", "bedankt", "pf", "pfv", "ya", "ja", "sim", "si", "yes", "all"]);

const keywords = new Set([
  "stop", "stopp", "stoppen", "stopall", "unsubscribe", "unsub", "optout", "opt out", "cancel", "end", "quit", "remove me", "leave me alone",
  "baja", "darme de baja", "dar de baja", "me doy de baja", "parar", "para", "pare", "paren", "parem", "sair", "descadastrar", "cancelar",
  "afmelden", "uitschrijven", "abmelden", "austragen", "abbestellen", "aufhoren", "hor auf", "hort auf", "schluss",
]);

const phrases: RegExp[] = [
  /\bstop (?:messaging|texting|sending|contacting|writing|spamming|bothering|whatsapping|calling|msging|msg)\b/,
  /\b(?:dont|do not|never|pls dont|please dont) (?:ever )?(?:message|text|contact|write|send|whatsapp|msg|spam)(?: to)? (?:me|us|my)\b/,
  /\b(?:remove|take|delete|erase) (?:me|my number|my phone number)(?: \w+){0,2} (?:from|off) (?:your|the|this) (?:list|contacts|database|mailing list|whatsapp list)\b/,
  /\b(?:take|get) me off\b|\bremove me$|\bremove my number\b/,
  /\bno more (?:messages|texts|whatsapps|whatsapp|marketing|promotions|notifications|offers|spam)\b/,
  /\b(?:opt out|optout|unsubscribe)(?: me)?(?: from)?(?: (?:this|these|your|whatsapp|the))?(?: (?:messages|texts|whatsapp|marketing|promotions|list|chat|updates))?$/,
  /\b(?:dont|do not|no longer) (?:want|wish) to (?:receive|get) (?:any )?(?:more )?(?:messages|texts|whatsapps|these|your messages|promotions|offers)\b/,
  /\b(?:dont|do not|never) (?:want|wish) to hear from (?:you|u|your company)\b|\bnever (?:message|text|contact|write to) (?:me|this number)\b/,
  /\bdejen de (?:escribir|mandar|enviar|molestar|contactar)|\bno (?:me )?(?:manden|envien|escriban|contacten|llamen) mas\b|\bno quiero recibir mas\b/,
  /\b(?:borrenme|sacame|saquenme|quitenme|eliminenme|borrar mi numero|eliminen mi numero)\b|\bfuera de la lista\b|\bdarme de baja de (?:los mensajes|la lista|whatsapp)\b|\bbasta de mensajes\b|\bno vuelvan a (?:escribirme|contactarme|mandarme)\b/,
  /\bpar(?:em|e|a) de (?:me )?(?:mandar|enviar|escrever|ligar)|\bnao (?:quero|desejo) mais receber\b|\bnao me (?:mandem|enviem) mais\b|\bme tira(?:r)? da lista\b|\b(?:remover|apaguem|apagar) meu numero\b|\bnao entrem mais em contato\b|\bchega de mensagens\b|\bnunca mais me (?:mandem|enviem|liguem)\b|\bsair da lista\b|\bdescadastr/,
  /\bstop met (?:berichten|appen|sturen|mailen|die)\b|\bgeen berichten meer\b|\bhaal me van\b|\bstuur me (?:niks|niets|geen)|\bniet meer appen\b|\blaat me met rust\b|\bverwijder mijn nummer\b|\bneem geen contact meer\b|\bwil (?:niks|niets|geen berichten) meer (?:ontvangen|krijgen|horen)\b|\bafmelden\b|\buitschrijven\b/,
  /\bhor(?:t)? auf(?: \w+){0,2} (?:zu schreiben|schreiben)\b|\bkeine (?:nachrichten|werbung|whatsapp) mehr\b|\bnehmt mich von\b|\bschickt mir nichts mehr\b|\bnicht mehr (?:anschreiben|kontaktieren|schreiben)\b|\blasst mich in ruhe\b|\bwill nichts mehr (?:bekommen|erhalten|horen|von euch)\b|\blosch(?:t|en sie)? meine nummer\b|\babmelden\b|\baustragen\b|\babbestellen\b/,
];

const notAboutMessaging = /\b(?:newsletter|nieuwsbrief|boletin|mailing|emails?|e mails?|correos?|plan|subscription|suscripcion|assinatura|abonnement|abo|contract|contrato|vertrag|account|cuenta|conta|konto)\b/;

export function isOptOut(normalized: string): boolean {
  const core = normalized
    .split(" ")
    .filter((word) => word.length > 0 && !fillers.has(word))
    .join(" ");
  if (keywords.has(core)) return true;
  if (notAboutMessaging.test(normalized)) return false;
  return phrases.some((phrase) => phrase.test(normalized) || phrase.test(core));
}
