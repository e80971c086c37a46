/**
 * Which of the supported languages a message is in. WhatsApp messages are short ("hoi hoi", "BAJA",
 * "me cobraron dos veces"), so statistics over letters have too little to go on; instead every
 * common word of each language is a vote (split between the languages that share it), and a few
 * spellings only one language uses (ñ, ã, ß, "ção", "ij", "-ung") add weight. Accents are optional
 * on phones, so words are compared without them. With no evidence, or a tie the conversation's
 * earlier language is part of, the earlier language wins; failing that, English.
 */
import type { Language } from "@salesbot/shared";

const markers: Record<Language, string> = {
  en: `the a an and or but is are was were be been am i you he she we they it its my your our their me us them this that these those
    what how why when where who which can could would should will do does did dont doesnt didnt cant wont isnt im ive id youre not no yes
    please pls plz thanks thank thx hi hello hey morning afternoon evening night want wanna need have has had get got to for of in on at
    with from by about just also too very much many some any all there here now today tomorrow yesterday week month price order account
    card payment help talk speak call send stop buy pay back money know think like time day again still yet if than then so because only
    really okay sure great good bad someone anyone person human agent u ur gonna gotta lol asap whats hows tell weather joke fun fact
    unsubscribe bye goodbye cheers guys there
    cost costs going been would your yours mine him her his got getting make made where there their theyre were will shall may might must should which while after before over under into out up down off than more most less still even ever never always hey sorry sir madam`,
  es: `el la los las un una unos unas y o pero es son esta estan estoy soy ser que de del al en por para con sin mi mis tu tus su sus me te
    se le lo nos yo usted ustedes vos quiero quiere queremos necesito necesita puedo puede pueden podemos tengo tiene tienen hay hola buenas
    buenos buen dia dias tardes noches gracias porfa favor si no muy mucho mucha mas como cuanto cuando donde porque xq q k tmb tambien ya hoy
    manana ayer semana mes ano precio pedido cuenta tarjeta pago ayuda hablar llamar enviar comprar pagar dinero saber creo algo nada alguien
    este esto ese esa eso hacer hacen hace ver vez veces dos tres bien mal vale bueno buena claro aqui ahora todavia gustaria quisiera baja
    cobraron algun alguna descuento envios envio unidades pedir escriban escribir mandar mandarme dejen cuentame curioso tiempo llega
    hora abren cuesta cuestan tienda resena queja reclamacion quieren chao adios saludos
    cuesta voy va vamos van puedes quieres seria sería tenemos estamos somos ella ellos ellas nosotros hemos han ha he estaba fue era pero siempre nunca luego despues antes entonces sobre entre hasta desde mismo otra otro otros cosa cosas gente solo poco cual cuales quien pedir unidades`,
  pt: `o os as um uma uns umas e ou mas e sao esta estao estou sou ser que de do da dos das no na nos nas em por para pra pro com sem meu
    minha meus minhas seu sua seus suas me te se lhe eu voce voces vc vcs gente nos quero quer queremos preciso precisa posso pode podem
    podemos tenho tem oi ola bom boa dia tarde noite obrigado obrigada obg vlw valeu sim nao muito muita mais como quanto quando onde porque
    pq tb tambem ja hoje amanha ontem semana mes ano preco pedido conta cartao pagamento ajuda falar ligar enviar mandar comprar pagar
    dinheiro saber acho algo nada alguem pessoa este esta isso isto esse essa fazer faz ver vez vezes dois duas tres tudo bem mal beleza blz
    aqui agora ainda gostaria queria ta ne cade kkk kkkk entao ate sair parar parem fui cobrado cobrada desconto termos conta curioso
    vejo tempo loja avaliacao msg mensagens tchau
    custa vou vai vamos vao pode consigo seria temos estamos somos ela eles elas nós nos temos foi era sempre nunca depois antes entao sobre entre desde mesmo outra outro outros coisa coisas so pouco qual quais quem pedir unidades voces pfv`,
  nl: `de het een en of maar is zijn was ben bent wordt worden ik jij je u hij zij we wij jullie ze mijn jouw uw ons onze hun me mij dit dat
    deze die wat hoe waarom wanneer waar wie welke kan kun kunnen kunt wil wilt willen moet moeten mag mogen heb hebt heeft hebben niet geen
    wel ja nee alsjeblieft alstublieft aub graag dank bedankt dankjewel hoi hallo goedemorgen goedemiddag goedenavond doei met voor van op
    aan bij uit over naar om tot nog al ook heel veel meer even ff effe nu vandaag morgen gisteren week maand prijs bestelling kaart betaling
    hulp helpen spreken praten bellen bel sturen stuur kopen betalen geld weten denk iets niets iemand persoon er hier daar toch zo dus omdat als
    dan oke top leuk goed slecht afmelden stoppen berichten vertel grappigs afgeschreven keer deze maand weer winkel zit
    kost kosten krijg krijgen vind vinden weet zou zal gaat gaan doen doe komt komen zien zie laat laten maken moet zeggen zeg wordt werd waren hadden had geweest zijn nooit altijd toen na voor tegen zonder alleen soms misschien echt gewoon helemaal`,
  de: `der die das den dem des ein eine einen einem einer und oder aber ist sind war bin bist wird werden ich du er sie es wir ihr mein
    meine meinen dein deine ihre unser unsere mich mir dich dir uns euch dies diese dieser dieses diesen was wie warum wann wo wer welche
    welcher kann kannst konnen konnt will willst wollen mochte mochten muss mussen darf habe hab hast hat haben nicht kein keine keinen ja
    nein bitte danke dankeschon hallo moin servus tschuss guten morgen tag abend mit fur von auf an bei aus uber nach um zu zum zur noch
    schon auch sehr viel viele mehr mal jetzt heute gestern woche monat preis bestellung konto karte zahlung hilfe helfen sprechen
    reden anrufen ruf schicken kaufen bezahlen geld wissen glaube etwas nichts jemand hier da doch so also weil wenn dann gut schlecht
    abmelden gerne gern vielen dank eure macht wurde zweimal nachmittag nachrichten schreibt wetter lustiges bewertung
    kostet gibt geht gehts brauche brauchen bekomme bekommen finde finden weiss wei mochte sein gewesen wurde wurden hatte hatten immer nie dann vorher nachher gegen ohne nur manchmal vielleicht wirklich einfach ganz paket kaufe sagen sag lass lassen machen mache`,
};

/** Spellings one language owns, and how much each occurrence counts. */
const cues: Array<{ language: Language; pattern: RegExp; weight: number }> = [
  { language: "pt", pattern: /[ãõ]/g, weight: 1.5 },
  { language: "pt", pattern: /ç/g, weight: 1 },
  { language: "pt", pattern: /(?:ção|ções|cao|coes)\b/g, weight: 0.5 },
  { language: "pt", pattern: /(?:inho|inha|lh[aeiou]|nh[aeiou])/g, weight: 0.3 },
  { language: "es", pattern: /[ñ¿¡]/g, weight: 1.5 },
  { language: "es", pattern: /(?:ción|ciones)\b/g, weight: 1 },
  { language: "es", pattern: /\bll[aeiou]/g, weight: 0.5 },
  { language: "de", pattern: /ß/g, weight: 1.5 },
  { language: "de", pattern: /[äöü]/g, weight: 1 },
  { language: "de", pattern: /\w(?:ung|ungen|keit|heit|lich|schaft|chen)\b/g, weight: 0.7 },
  { language: "de", pattern: /(?:tz|ei|sch)/g, weight: 0.15 },
  { language: "nl", pattern: /ij/g, weight: 0.7 },
  { language: "nl", pattern: /\w(?:tje|tjes|lijk|lijke|heid)\b/g, weight: 0.7 },
  { language: "nl", pattern: /(?:aa|uu|oe)/g, weight: 0.25 },
  { language: "en", pattern: /\bth\w/g, weight: 0.3 },
];

function fold(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").replace(/ß/g, "ss");
}

const index = new Map<string, Language[]>();
for (const [language, words] of Object.entries(markers) as Array<[Language, string]>) {
  for (const word of new Set(words.split(/\s+/).filter(Boolean))) index.set(word, [...(index.get(word) ?? []), language]);
}

/**
 * Words only French or Italian use: a customer writing in a language we do not speak is answered in
 * English, which more of them read than the supported language their words happen to look most like
 * ("Bonjour, vous parlez français ?" is not Portuguese for its ç).
 */
const UNSUPPORTED = new Set(
  `bonjour bonsoir salut merci vous nous parlez parle suis sommes est avec pour oui votre vos combien coute cest quel quelle francais
  aujourdhui pourquoi beaucoup buongiorno buonasera grazie italiano vorrei siete parlate prezzo perche allora`.split(/\s+/).filter(Boolean),
);

/**
 * "holaaa", "obrigadooo": try the word as typed, then, if a letter is stretched (three or more in a row),
 * shortened. Only then: a double letter is how many words are spelt ("soon" is not Spanish "son").
 */
function lookup(word: string): Language[] | undefined {
  const typed = index.get(word);
  if (typed || !/(\p{L})\1{2,}/u.test(word)) return typed;
  return index.get(word.replace(/(\p{L})\1{2,}/gu, "$1$1")) ?? index.get(word.replace(/(\p{L})\1+/gu, "$1"));
}

const ADDRESSES = /\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|co|br|pt|es|nl|de|eu)\b\S*/gi;

const SINGLE_LETTER_WEIGHT = 0.25;
/** Words shorter than this do not move a conversation to another language on their own. */
const SWITCHING_WORD_LENGTH = 4;

/**
 * `previous`: the conversation's language so far. `tieBreaker`: where there is none, a language that
 * only settles an exact tie at the top (the country of the customer's number).
 */
export function detectLanguage(text: string, previous: Language | null = null, tieBreaker: Language | null = null): Language {
  // In this order, by how many people speak each: an exact tie with nothing else to go on ("Hallo" from a
  // US number) falls to the language more customers write in (the sort below keeps it).
  const scores: Record<Language, number> = { en: 0, es: 0, pt: 0, de: 0, nl: 0 };
  const longWordVotes: Record<Language, number> = { en: 0, es: 0, pt: 0, de: 0, nl: 0 };
  // "https://globex.com", "ana@globex.com.br": an address is in no language ("com" is Portuguese for "with").
  const lower = text.toLowerCase().replace(ADDRESSES, " ");
  const words = lower.replace(/['’]/g, "").match(/\p{L}+/gu) ?? [];
  for (const word of words) {
    const hits = lookup(fold(word));
    if (!hits) continue;
    // A word shared by several languages says less than one that only one language uses, and a lone
    // letter ("q", "u", "e") less than a word.
    const weight = word.length === 1 ? SINGLE_LETTER_WEIGHT : 1;
    for (const language of hits) {
      scores[language] += weight / hits.length;
      if (word.length >= SWITCHING_WORD_LENGTH) longWordVotes[language] += 1 / hits.length;
    }
  }
  for (const { language, pattern, weight } of cues) scores[language] += (lower.match(pattern)?.length ?? 0) * weight;
  const unsupported = words.filter((word) => UNSUPPORTED.has(fold(word))).length;
  const ranked = (Object.entries(scores) as Array<[Language, number]>).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] === 0) return previous ?? "en";
  if (unsupported > best[1]) return previous ?? "en";
  // "Q1", "Pro" (a plan, or Portuguese "pro"), "ja": a conversation moves to another language on at least
  // a word's worth of evidence from words of four letters or more; short words are names, plans and
  // abbreviations as often as they are another language.
  if (previous && previous !== best[0] && longWordVotes[best[0]] < 1) return previous;
  const tied = second !== undefined && best[1] - second[1] < 1e-9;
  if (tied && previous && (previous === best[0] || previous === second[0])) return previous;
  if (tied && !previous && tieBreaker && ranked.some(([language, score]) => language === tieBreaker && best[1] - score < 1e-9)) return tieBreaker;
  return best[0];
}
