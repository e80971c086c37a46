/** German patterns ("ü" is already "u", "ß" is "ss"). The verb often comes last, hence the any-order matches. */
import { HINT, LIKELY, allOf, rules, SURE, type LexiconRule } from "./types.js";

export const deRules: LexiconRule[] = [
  ...rules("human_request", SURE, [
    allOf(
      "sprechen|reden|verbinden|verbinde|durchstellen|weiterleiten|beraten|chatten|telefonieren|helfen",
      "mensch|menschen|mitarbeiter|mitarbeiterin|person|jemand|jemanden|chef|vorgesetzten|zustandigen|berater|beraterin|kundenservice|kundendienst|support|verkaufer",
    ),
    /\b(?:echter|echten|echte) (?:mensch|menschen|person|mitarbeiter)\b/,
    /^(?:mensch|mitarbeiter|ein mensch|einen mitarbeiter)(?: (?:bitte|jetzt|sofort|pls))*$/,
    allOf("nicht|kein|keinen|keine", "bot|roboter|chatbot|maschine|computer"),
    /\b(?:ruf(?:en sie)? mich (?:\w+ )?an|mich anrufen|ruckruf)\b/,
  ]),
  ...rules("complaint", SURE, [
    /\b(?:beschweren|beschwere|beschwerde|beschwerden|reklamation|reklamieren)\b/,
    /\b(?:inakzeptabel|unverschamt|frechheit|miserabel|miserabler|katastrophal|schrecklich|schreckliche|enttauscht|enttauschend|sauer|wutend|verargert|argere|unfahig|unzufrieden|nase voll|zumutung|emojiangry)\b/,
    /\bnicht zufrieden\b|\bschlechter? (?:service|erfahrung|qualitat|kundenservice)\b/,
    /\b(?:niemand|keiner) (?:antwortet|meldet|hilft|ruft)\b/,
    /\bwarte (?:schon|seit|immer noch)\b/,
    /\bimmer noch (?:nichts|nicht|kein|keine)\b/,
    /\bkaputt (?:an|geliefert|angekommen)\b|\bfalsche (?:produkt|artikel|lieferung|grosse)\b/,
  ]),
  ...rules("complaint", LIKELY, [/\bfunktioniert (?:nicht|gar nicht|immer noch nicht)\b/]),
  ...rules("sensitive_data", SURE, [
    /\b(?:ruckerstattung|erstattung|erstatten|ruckzahlung|geld zuruck|zuruckerstatten|zuruckbuchung|ruckbuchung)\b/,
    /\b(?:doppelt|zweimal|0 mal) (?:abgebucht|belastet|berechnet|bezahlt)\b/,
    /\babbuchung(?: \w+){0,4} (?:nicht kenne|nicht erkenne|unbekannt)|\bunbekannte abbuchung\b/,
    /\b(?:karte|kreditkarte|bankkarte|ec karte)(?: \w+){0,2} (?:abgelehnt|gesperrt|gestohlen|geklaut|verloren|funktioniert nicht)\b/,
    /\bzahlung(?: \w+){0,2} (?:fehlgeschlagen|abgelehnt|klappt nicht|geht nicht|funktioniert nicht|nicht durchgegangen)\b/,
    /\bkann (?:nicht|nichts) (?:bezahlen|zahlen)\b/,
    /\bproblem(?:e)? (?:mit|bei) der (?:zahlung|bezahlung)\b/,
    /\b(?:betrug|betrugsfall|betruger|gehackt|identitatsdiebstahl)\b/,
    /\b(?:passwort|kennwort|einloggen|login|anmeldedaten|bestatigungscode)\b/,
    allOf("konto|kundenkonto|account|daten|e ?mail ?adresse|emailadresse|profil|telefonnummer|adresse", "loschen|losche|loscht|schliessen|andern|aktualisieren|bearbeiten|kundigen"),
    /\b(?:personalausweis|ausweis|reisepass|steuer ?id|iban|bankverbindung|kontonummer|kartennummer)\b/,
  ]),
  ...rules("pricing", LIKELY, [/\b(?:preis|preise|preisliste|kostet|kosten|angebot|rabatt|gutschein|gutscheincode|gebuhr|gebuhren|tarif|tarife|teuer|gunstig|gunstiger|gunstigste|mwst)\b/]),
  ...rules("contract", LIKELY, [
    /\b(?:vertrag|vertrags|vertrages|vertragsbedingungen|kundigen|kundige|kundigung|kundigungsfrist|kundigungsgebuhr|laufzeit|mindestlaufzeit|agb|verlangerung|verlangert|sla)\b/,
    allOf("abo|abonnement|vertrag", "stornieren|beenden|kundigen"),
  ]),
  ...rules("purchase_intent", HINT, [/\b(?:kaufen|bestellen|bestellung aufgeben|abschliessen|buchen)\b/]),
  ...rules("appointment", LIKELY, [/\b(?:demo|vorfuhrung|termin|anrufen|ruf mich|ruft mich|ruckruf|videocall|meeting|treffen|vorbeikommen)\b/]),
  // A question about one's own invoice is a billing matter: support, not the bot.
  ...rules("sensitive_data", LIKELY, [/\b(?:meine|meiner|die|unsere|diese|letzte|letzten)\s+(?:rechnung|rechnungen|abrechnung)\b/]),
  ...rules("greeting", LIKELY, [/\b(?:schau|schaue|schauen|guck|gucke|gucken|sehe|sehen)(?: \w+){0,3} (?:um|rum)(?: danke)?$/, /^(?:\w+ )?(?:ich |wir )?(?:nur|erstmal|erst mal) (?:mal )?(?:schauen|gucken|umsehen|umschauen|stobern)(?: danke)?$/]),
];
