/** Dutch patterns. The verb often comes last ("ik wil een mens spreken"), hence the any-order matches. */
import { HINT, LIKELY, allOf, rules, SURE, type LexiconRule } from "./types.js";

export const nlRules: LexiconRule[] = [
  ...rules("human_request", SURE, [
    allOf("spreken|praten|verbinden|doorverbinden|verbind|chatten|geholpen|helpen|te woord", "mens|medewerker|medewerkster|persoon|iemand|manager|leidinggevende|verantwoordelijke|klantenservice|adviseur|verkoper"),
    /\b(?:echte|echt) (?:mens|persoon|medewerker)\b/,
    /^(?:mens|medewerker|een mens|een medewerker)(?: (?:aub|alstublieft|graag|nu|alsjeblieft|pls))*$/,
    allOf("niet|geen", "bot|robot|chatbot|computer"),
    /\b(?:bel me|bel mij|mij (?:terug)?bellen|me (?:terug)?bellen|terugbellen)\b/,
  ]),
  ...rules("complaint", SURE, [
    /\b(?:klacht|klachten|klagen|beklag)\b/,
    /\b(?:onacceptabel|waardeloos|waardeloze|belachelijk|schandalig|schande|teleurgesteld|teleurstellend|boos|woedend|kwaad|ontevreden|het zat|baal|vreselijk|vreselijke|bagger|emojiangry)\b/,
    /\bniet (?:tevreden|blij)\b|\bslechte (?:service|ervaring|kwaliteit|klantenservice)\b/,
    /\bniemand (?:reageert|antwoordt|helpt|belt)\b/,
    /\b(?:wacht|wachten) (?:al|nu al)\b/,
    /\bnog (?:steeds|altijd) (?:niks|niets|geen|niet)\b/,
    /\bkapot (?:aan|geleverd|ontvangen)\b|\bverkeerde (?:product|artikel|bestelling|maat)\b/,
  ]),
  ...rules("complaint", LIKELY, [/\b(?:doet het niet|werkt niet)\b/]),
  ...rules("sensitive_data", SURE, [
    /\b(?:terugbetaling|terugbetalen|geld terug|terugstorten|terugstorting|restitutie)\b/,
    /\b(?:dubbel|twee keer|2 keer|0 keer) (?:afgeschreven|betaald|gefactureerd)\b/,
    /\bafschrijving(?: \w+){0,3} (?:niet herken|onbekend)|\bonbekende afschrijving\b/,
    /\b(?:kaart|pas|creditcard|betaalpas)(?: \w+){0,2} (?:geweigerd|geblokkeerd|gestolen|kwijt|werkt niet)\b/,
    /\bbetaling(?: \w+){0,2} (?:mislukt|geweigerd|lukt niet|gaat niet|niet gelukt|gaat mis)\b/,
    /\bkan niet (?:betalen|afrekenen)\b/,
    /\bprobleem (?:met|bij) (?:de|mijn|het) (?:betaling|betalen)\b/,
    /\b(?:fraude|oplichting|opgelicht|gehackt|identiteitsfraude)\b/,
    /\b(?:wachtwoord|inloggen|ingelogd|inlogcode|verificatiecode)\b/,
    allOf("account|gegevens|e ?mailadres|emailadres|profiel|telefoonnummer|adresgegevens|persoonsgegevens", "verwijderen|verwijder|opheffen|sluiten|wijzigen|wijzig|aanpassen|veranderen|bijwerken|wissen"),
    /\b(?:paspoort|identiteitsbewijs|id kaart|rijbewijs|bsn|burgerservicenummer|iban|bankrekening|rekeningnummer|pasnummer|kaartnummer)\b/,
  ]),
  ...rules("pricing", LIKELY, [/\b(?:prijs|prijzen|prijslijst|kost|kosten|offerte|korting|kortingscode|tarief|tarieven|duur|goedkoop|goedkoper|goedkoopste|aanbieding|aanbiedingen|btw)\b/]),
  ...rules("contract", LIKELY, [
    /\b(?:contract|opzeggen|opzegging|opzegtermijn|opzegkosten|looptijd|voorwaarden|verlenging|verlengd|beeindigen|sla)\b/,
    allOf("abonnement|contract", "annuleren|stopzetten|stoppen|opzeggen"),
  ]),
  ...rules("purchase_intent", HINT, [/\b(?:kopen|bestellen|bestelling plaatsen|afnemen)\b/]),
  ...rules("appointment", LIKELY, [/\b(?:demo|demonstratie|afspraak|afspreken|bel me|bellen|terugbellen|videobellen|meeting|langskomen)\b/]),
  // A question about one's own invoice is a billing matter: support, not the bot.
  ...rules("sensitive_data", LIKELY, [/\b(?:mijn|de|onze|deze|laatste)\s+(?:factuur|facturen|rekening|facturatie)\b/]),
  ...rules("greeting", LIKELY, [/\b(?:kijk|kijken|neus|neuzen)(?: \w+){0,3} (?:rond|om me heen)(?: (?:hoor|hoo|bedankt|dank je|dankjewel))*$/, /^(?:\w+ )?(?:gewoon |alleen )?even (?:kijken|rondkijken|rondneuzen)(?: (?:hoor|bedankt))*$/]),
];
