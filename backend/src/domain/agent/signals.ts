/**
 * Lexical signals the escalation policy needs beyond the intent: anger (so a furious "where is my
 * order" escalates like a complaint) and a request for a specific offer (quote, discount, deal),
 * which the bot must never answer on its own, in the supported languages.
 */
const ANGER =
  /\b(angry|furious|ridiculous|unacceptable|terrible|horrible|awful|worst|disgusting|scam|fraud(ulent)?|liars?|useless|pathetic|fed up|sick of|wtf|damn|shit|crap|enfadad[oa]|furios[oa]|inaceptable|horrible|pésim[oa]|estafa|vergonha|absurdo|péssim[oa]|golpe|inaceitável|woedend|belachelijk|onacceptabel|waardeloos|oplichting|wütend|unverschämt|inakzeptabel|katastrophal|betrug|frechheit)\b|!{3,}/i;
// "orçamento" and "presupuesto" are also the customer's budget: a quote only when asked for ("gostaria de um orçamento").
const ASKS_FOR_QUOTE =
  /\b(?:quero|queria|gostaria de|preciso de|pode(?:m)? me (?:passar|mandar|enviar)|me (?:passa|manda|envia)|quiero|quisiera|necesito|me (?:pueden|puede|podr[ií]an) (?:pasar|mandar|enviar)|me (?:pasan|mandan|env[ií]an))\s+(?:um |o |un |el )?(?:or[cç]amento|presupuesto)\b/i;
const SPECIFIC_OFFER =
  /\d+\s?%\s?(off|discount|korting|rabatt|desconto|descuento)|\b(quotes?|quotations?|proposals?|discounts?|percent off|deals?|best price|special price|better price|cheaper|negotiat\w*|offer for|custom pricing|volume pricing|price for \d+|cotizaci[oó]n|presupuesto para|descuento|oferta|propuesta|mejor precio|or[cç]amento para|cota[cç][aã]o|desconto|proposta|melhor pre[cç]o|offerte|korting|voorstel|betere prijs|angebot|rabatt|kostenvoranschlag|besseren preis|sonderpreis)\b/i;

// A customer who names a price of their own ("say Enterprise costs €1", "so Growth is 10 euros?") is
// negotiating or testing the bot: a person answers. A budget they state is qualification, not a price.
const NAMED_AMOUNT = /(?:[€$£]|r\$)\s?\d|\b\d[\d.,]*\s?(?:€|eur(?:os?)?|usd|dollars?|reais|pounds?)\b|\b\d{1,3}\s?%/i;
const PRICE_WORD =
  /\b(costs?|costing|prices?|priced|pricing|pay|charged?|charges|plans?|fee|cuesta|cuestan|costar|precios?|cobran?|custa|custam|custar|pre[cç]os?|kost|kosten|kostet|prijs|prijzen|preis|preise)\b/i;
const BUDGET_WORD = /\b(budget|presupuesto|or[cç]amento|begroting)\b/i;
// What a given number of seats would cost ("how much for 50 users?") is a quote, not a list price.
const SEAT_COUNT =
  /\b\d[\d.,]*\s?(users?|seats?|licen[cs]es?|agents?|people|employees|reps|usuari[oa]s|usu[aá]rios|utilizadores|licencias|licen[cç]as|personas|pessoas|empleados|funcion[aá]rios|gebruikers|licenties|medewerkers|mensen|benutzer|nutzer|lizenzen|mitarbeiter(?:innen)?|personen)\b|\b(?:team|equipo|equipe|empresa|company)\s+(?:of|de|van|von|mit)\s+\d+\b|\b\d+[\s-]*(?:person|people|man)[\s-]+(?:team|company|business)\b/i;
const COST_ASK =
  /\b(costs?|costing|prices?|priced|pricing|how much|cu[aá]nto|cuesta|cuestan|precios?|quanto|custa|custam|pre[cç]os?|hoeveel|kost|kosten|kostet|prijs|prijzen|wie ?viel|preis|preise)\b/i;

/**
 * `routine`: the words, read without their case, are a routine question or request the classifier is sure
 * of. Some customers write everything in capitals: "HI DO YOU WORK WITH SALESFORCE" asks, it does not shout.
 */
export function soundsAngry(text: string, routine = false): boolean {
  return ANGER.test(text) || (!routine && text.length >= 12 && text === text.toUpperCase() && /[A-Z]{6,}/.test(text));
}

export function wantsSpecificOffer(text: string): boolean {
  return (
    SPECIFIC_OFFER.test(text) ||
    ASKS_FOR_QUOTE.test(text) ||
    (NAMED_AMOUNT.test(text) && PRICE_WORD.test(text) && !BUDGET_WORD.test(text)) ||
    (SEAT_COUNT.test(text) && COST_ASK.test(text))
  );
}

const THANKS_OR_BYE =
  /\b(thanks?|thank you|thx|cheers|bye|goodbye|see you|gracias|adi[oó]s|hasta luego|obrigad[oa]|valeu|tchau|at[eé] logo|bedankt|dank je( wel)?|dankjewel|doei|tot ziens|danke|tsch[uü]ss|auf wiedersehen)\b/i;
/** A message's opening salutation, with the punctuation after it ("Hi, ", "Guten Tag! "). */
export const OPENING_GREETING =
  /^\W*(?:(?:hi+|hel+o+|hey+|hiya)(?:\s+(?:there|all|everyone|team|folks|guys))?|good (?:morning|afternoon|evening)|hola|buen[oa]s(?: d[ií]as| tardes| noches)?|ol[aá]|oi|bom dia|boa (?:tarde|noite)|hallo|hoi|goede(?:morgen|middag|navond)|guten (?:tag|morgen|abend)|moin|servus)(?![\p{L}])[\s,!.]*/iu;

// Thumbs up, OK hand, folded hands, check marks, smiles, hearts, clapping, handshake; each may carry a
// skin tone or a variation selector. Alternatives, not a character class: those modifiers combine.
const ACKNOWLEDGING_EMOJI = ["\u{1F44D}", "\u{1F44C}", "\u{1F64F}", "\u{2705}", "\u{2714}", "\u{1F642}", "\u{1F60A}", "\u{263A}", "\u{1F600}", "\u{1F601}", "\u{2764}", "\u{1F44F}", "\u{1F4AF}", "\u{1F91D}"];
const ACKNOWLEDGEMENT = new RegExp(`^(?:\\s|(?:${ACKNOWLEDGING_EMOJI.join("|")})(?:[\u{1F3FB}-\u{1F3FF}]|\u{FE0F})*)+$`, "u");

/** A message of nothing but an acknowledging emoji ("👍"): it needs no answer, and certainly no person. */
export function isAcknowledgement(text: string): boolean {
  return ACKNOWLEDGEMENT.test(text) && text.trim().length > 0;
}

const DECLINING =
  /^\W*(no|nope|not yet|not sure|not really|no idea|none|n\/?a|later|skip|i don'?t know|don'?t know|dunno|haven'?t decided|not decided|undecided|rather not say|prefer not to say|no budget|todav[ií]a no|a[uú]n no|no s[eé]|ni idea|ninguno|sin presupuesto|prefiero no decir|n[aã]o|ainda n[aã]o|n[aã]o sei|nenhum|sem or[cç]amento|prefiro n[aã]o dizer|nee|nog niet|weet ik niet|geen idee|geen budget|nein|noch nicht|wei(ß|ss) (ich )?nicht|keine ahnung|kein budget)\b/i;

/**
 * A short reply that declines or defers the question we asked ("no budget yet", "not sure", "noch
 * nicht"): an answer all the same, to be taken and moved on from, not a question for a person.
 */
export function soundsLikeDeclining(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= 6 && DECLINING.test(text);
}

const FILLER_WORD = /^(?:ha(?:ha)+|he(?:he)+|ja(?:ja)+|ka(?:ka)+|rs(?:rs)+|k{3,}|lol|lmao|hmm+|mm+|ok(?:ay)?|oke|okey|k|kk|sure|cool|nice|great|fine|alright|right|yes|yeah|yep|ya|si|sí|sim|ja|jawohl|vale|claro|beleza|top|prima|gut|genau|oh|ah|aha|uh|um)$/i;

/** "haha ok", "hmm", "ok sure": filler, laughter and assent, with nothing in it that answers a question. */
export function isFiller(text: string): boolean {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
  return !/\d/.test(text) && words.length > 0 && words.length <= 4 && words.every((word) => FILLER_WORD.test(word));
}

const ASKS_WHY =
  /^\W*(?:(?:and |but )?why(?: do you (?:ask|need (?:that|this|to know)|want to know)| (?:is that|does it) (?:matter|important)|\?)|what(?:'s| is) (?:that|it) for|por qu[eé] (?:lo )?(?:preguntas|necesitas saber(?:lo)?)|para qu[eé] (?:lo )?(?:quieres saber|necesitas)|por que (?:voc[eê] )?(?:pergunta|quer saber|precisa saber)|pra que (?:isso|voc[eê] quer saber)|waarom (?:vraag je dat|wil je dat weten)|waarvoor is dat|warum (?:fragen sie|fragst du|wollen sie das wissen)|wozu (?:brauchen sie das|fragen sie))\W*$/i;

/** "Why do you ask?", "¿para qué lo necesitas?": the customer wants to know why we ask a qualification question. */
export function asksWhyWeAsk(text: string): boolean {
  return ASKS_WHY.test(text.trim());
}

/** Small talk that thanks or takes leave ("thanks, bye!"), as opposed to small talk that opens a conversation ("hi, thanks"). */
export function soundsLikeGoodbye(text: string): boolean {
  return THANKS_OR_BYE.test(text) && !OPENING_GREETING.test(text);
}

const ASKS_IF_BOT =
  /\b(?:are you|is this|is that|am i (?:talking|chatting|speaking|writing) (?:to|with))\s+(?:a |an |the )?(?:real )?(?:bot|robot|machine|ai|computer|human|person|real person)\b|\bare you (?:real|human)\b|\b(?:eres|es esto|es|hablo con) (?:un |una )?(?:bot|robot|humano|persona real|m[aá]quina|ia)\b|\b(?:voc[eê] [eé]|isso [eé]|estou falando com) (?:um |uma )?(?:bot|rob[oô]|humano|pessoa real|m[aá]quina|ia)\b|\b(?:ben je|is dit|praat ik met) (?:een )?(?:bot|robot|mens|echt persoon|machine)\b|\b(?:bist du|sind sie|ist das|spreche ich mit|schreibe ich mit) (?:ein |eine |einem |einer )?(?:bot|roboter|mensch(?:en)?|echten menschen|echter mensch|maschine|ki)\b/i;
// "I need help", "can you help me?", "tengo una duda", "ich habe eine Frage": nothing yet about with what.
const ONLY_HELP = new RegExp(
  "^(?:i need (?:some |your )?(?:help|assistance)|(?:can|could) (?:you|someone|anyone|somebody) help(?: me| us)?|(?:please )?help(?: me| us)?|i have (?:a|one) (?:quick )?question|quick question|i have (?:some|a few) questions|" +
    "necesito ayuda|(?:me |nos )?(?:puedes|puede|pueden|podr[ií]an) ayudar(?:me|nos)?|ayuda|ay[uú]dame|tengo una (?:pregunta|duda|consulta)|" +
    "preciso de ajuda|(?:voc[eê]s? )?(?:pode|podem) (?:me |nos )?ajudar(?:-me|-nos)?|me ajuda|ajuda|tenho uma (?:pergunta|d[uú]vida)|" +
    "ik heb hulp nodig|(?:kun|kan|kunnen) (?:je|jij|jullie|u) (?:me |mij |ons )?helpen|help|ik heb een vraag(?:je)?|" +
    "ich brauche hilfe|(?:k[oö]nnen sie|k[oö]nnt ihr|kannst du) (?:mir|uns) helfen|hilfe|ich habe eine frage|" +
    // "anyone there?": someone to help, asked before saying with what.
    "(?:is )?(?:any(?:one|body)|some(?:one|body)) (?:there|here|around)|hay alguien(?: ah[ií])?|(?:tem )?algu[eé]m a[ií]|is (?:daar|er) iemand|ist (?:da )?jemand(?: da)?|jemand da)" +
    "(?:,? (?:please|pls|plz|por favor|pf|alsjeblieft|alstublieft|bitte))?[\\s.!?¿¡]*$",
  "iu",
);

/** A message that asks for help and says nothing about with what. */
export function asksOnlyForHelp(text: string): boolean {
  return ONLY_HELP.test(text.trim().replace(OPENING_GREETING, "").replace(/^[¿¡?\s]+/u, ""));
}

/** "hi", "Hello??", "buenas tardes!": a greeting and nothing else. */
export function isOnlyGreeting(text: string): boolean {
  const rest = text.trim().replace(OPENING_GREETING, "");
  return rest !== text.trim() && /^[\s?!.,¿¡]*$/u.test(rest);
}

/**
 * "hi" / "hello??" / "anyone there?", "Hi, can you help me, I have a question": a burst, or a message of
 * several parts, asking for help, with at most greetings around it.
 */
export function burstAsksOnlyForHelp(texts: readonly string[]): boolean {
  const parts = texts.flatMap((text) => text.split(/[,;.!]\s+|\s+(?:and|y|e|en|und)\s+/iu)).filter((part) => part.trim().length > 0);
  return parts.some(asksOnlyForHelp) && parts.every((part) => asksOnlyForHelp(part) || isOnlyGreeting(part));
}

const ASKS_WHAT_ELSE =
  /^\W*(?:(?:and |so |ok(?:ay)?,? )?(?:what else (?:do you need|should i tell you|can i tell you|do you want to know)|anything else (?:you need|i should tell you)|what (?:else )?do you need (?:from me|to know)|qu[eé] m[aá]s (?:necesitas|necesitan|necesita)(?: saber)?|o que mais (?:voc[eê]s? )?precisa[m]?(?: saber)?|wat (?:heb je|hebben jullie|heeft u) (?:nog )?(?:meer )?(?:van mij )?nodig|was (?:brauchen sie|braucht ihr|brauchst du) (?:noch|sonst noch)(?: von mir)?))\W*$/i;

/** "What else do you need?": the customer offers to answer whatever qualification still lacks. */
export function asksWhatElse(text: string): boolean {
  return ASKS_WHAT_ELSE.test(text.trim());
}

const NO_MORE_QUESTIONS =
  /^\W*(?:(?:please|pls|ok(?:ay)?),?\s+)?(?:no more questions|enough (?:with the )?questions|stop asking(?: me)?(?: (?:questions|so many questions))?|(?:i )?don'?t want to answer (?:any more |more )?questions|no m[aá]s preguntas|basta de preguntas|deja de preguntar(?:me)?|chega de perguntas|sem mais perguntas|para de (?:me )?perguntar|geen vragen meer|stop met (?:vragen|vragen stellen)|keine fragen mehr|h[oö]r(?:en sie)? auf zu fragen|genug gefragt)(?:,?\s+(?:please|pls|thanks|thank you|por favor|gracias|obrigad[oa]|alsjeblieft|bedankt|bitte|danke))?\W*$/i;

/** "No more questions, please": the customer asks us to stop qualifying them, and nothing else. */
export function declinesFurtherQuestions(text: string): boolean {
  return NO_MORE_QUESTIONS.test(text.trim());
}

/** "Who am I talking to?": asked in words that a yes cannot answer. */
const ASKS_WHO =
  /\bwho am i (?:talking|chatting|speaking|writing) (?:to|with)\b|\bwho(?:'s| is) (?:this|there)\s*\?|\bcon qui[eé]n (?:hablo|estoy hablando)\b|\bcom quem (?:falo|estou falando)\b|\bmet wie (?:spreek|praat|chat) ik\b|\bmit wem (?:spreche|schreibe|chatte) ich\b/i;

const ASKS_IF_COMPANY_LEAD =
  /^(?:is (?:this|that|it)|are you|am i (?:talking|chatting|speaking|writing) (?:to|with)|(?:es|eres|son)(?: esto| este| usted| ustedes)?|hablo con|(?:isso |aqui )?(?:é|são)|falo com|is dit|ben ik bij|spreek ik met|ist das|sind sie|bin ich(?: hier)?(?: richtig)? bei|spreche ich mit)\s+(?:(?:the|la|el|a|o|da|do|de|die|der)\s+)?/iu;
/** "wait, …", "sorry, …", "ok so …": how a doubt is voiced, not what it is about. */
const HESITATION = /^(?:wait|sorry|hm+|um+|ok(?:ay)?|so|perd[oó]n|desculpa|moment)(?![\p{L}])[\s,.!]*/iu;
const escapeForPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "Hi, is this Acme?", "¿es Acme?", "ist das Acme?": the customer checks they reached the company. */
export function asksIfCompany(text: string, company: string): boolean {
  const name = company.trim();
  if (name.length === 0) return false;
  const rest = text.trim().replace(OPENING_GREETING, "").replace(HESITATION, "").replace(/^[¿\s]+/u, "");
  const lead = ASKS_IF_COMPANY_LEAD.exec(rest);
  return lead !== null && new RegExp(`^${escapeForPattern(name)}(?:[\\s,]+(?:right|correct|verdad|né|certo|toch|oder|richtig))?[\\s?!.]*$`, "iu").test(rest.slice(lead[0].length));
}

/** "Is this a bot?", "are you human?", "who am I talking to?": the customer asks what they are talking to. */
export function asksIfAssistant(text: string): boolean {
  return (ASKS_IF_BOT.test(text) || ASKS_WHO.test(text)) && text.length <= 120;
}

export function asksWhoItIs(text: string): boolean {
  return ASKS_WHO.test(text);
}

/** "and how much", "y cuánto cuesta", "und was kostet das": a question that follows on from the last one. */
const FOLLOW_ON = /^(?:and|also|plus|so|y|e|en|und|auch|ook|tambi[eé]n|tamb[eé]m)[\s,]+/i;

// "and for Enterprise?", "what about Pipedrive?", "¿y para Enterprise?", "und für Enterprise?": the last question
// again, about something else.
const ELLIPTIC_FOLLOW_ON =
  /^[¿\s]*(?:(?:and|y|e|en|und)\s+(?:for|with|in|para|con|com|voor|met|bij|f[uü]r|mit|bei)\b|what about|how about|and what about|y (?:qu[eé] )?(?:tal|de)\b|e (?:quanto a|o|a)\b|en (?:wat|hoe) (?:met|zit het met)|und (?:was|wie) (?:ist|sieht es) mit)/iu;

/** A short question that only makes sense with the one before it ("and for Enterprise?"). */
export function followsOnFromLastQuestion(text: string): boolean {
  return text.trim().length <= 60 && ELLIPTIC_FOLLOW_ON.test(text.trim());
}

/** "is there a free trial?" and "and for Enterprise?" as one question: "is there a free trial for Enterprise?". */
export function askedAgain(previous: string, followOn: string): string {
  return `${previous.replace(/[?\s]+$/u, "")} ${followOn.trim().replace(/^¿/u, "").replace(FOLLOW_ON, "")}`;
}

/** "please send me the pricing", "can you tell me…", "mándame los precios": a request, with or without a question mark. */
/** The words a request opens with, "please" or "can you", in the five languages. */
const REQUEST_OPENING = "please|pls|plz|kindly|can you|could you|would you|por favor|kunt u|kun je|bitte";
const REQUEST = new RegExp(
  `(?:^|[^\\p{L}])(?:${REQUEST_OPENING}|send me|tell me|show me|give me|m[aá]ndame|env[ií]ame|d[ií]game|me (?:manda|mandem|envia|enviem|passa|passem|diga)|stuur (?:me|mij)|schicken sie mir|senden sie mir|sagen sie mir)(?!\\p{L})`,
  "iu",
);

export function makesRequest(text: string): boolean {
  return REQUEST.test(text);
}

export function looksLikeQuestion(text: string): boolean {
  // "Hi, what are your prices": the salutation in front does not make it less of a question.
  return (
    /\?\s*$|^¿/.test(text.trim()) ||
    /^(what|how|when|where|which|who|why|do|does|can|is|are|qu[eé]|c[oó]mo|cu[aá]ndo|cu[aá]nto|d[oó]nde|cu[aá]l|o que|como|quando|quanto|onde|qual|wat|hoe|hoeveel|wanneer|waar|welke|was|wie|wann|wo|welche)\b/i.test(
      text.trim().replace(OPENING_GREETING, "").replace(FOLLOW_ON, ""),
    )
  );
}

/**
 * The questions of a message that has several sentences ("What are your opening hours? This is
 * customer 12345." asks one): the rest is context, and searching the knowledge base with it only
 * dilutes the match. Empty when the message is one sentence or asks nothing in particular.
 */
// "What integrations do you have and is there a trial?": "and" followed by a question's opening asks a second question.
const AND_THEN_QUESTION =
  /,?\s+(?:and|y|e|en|und)\s+(?=(?:is|are|do|does|can|could|what|how|when|where|which|who|hay|tienen|qu[eé]|c[oó]mo|cu[aá]nto|d[oó]nde|tem|t[eê]m|h[aá]|o que|quanto|onde|is er|zijn|hebben|wat|hoe|waar|hoeveel|gibt es|ist|sind|haben|was|wie|wo)\b)/iu;

// "My email is carla@globex.com, please send me the pricing", "…300 mensajes al día, ¿pueden ayudarnos?": a request
// or a question after a comma is a sentence of its own.
const COMMA_THEN_REQUEST = new RegExp(
  `,\\s*(?=¿)|,\\s+(?=(?:${REQUEST_OPENING}|pueden|puede|podr[ií]an|voc[eê]s podem|podem|pode|kunnen jullie|k[oö]nnen sie|k[oö]nnt ihr|kannst du)(?!\\p{L}))`,
  "iu",
);
const OPENS_WITH_REQUEST = new RegExp(`^(?:${REQUEST_OPENING})(?!\\p{L})`, "iu");

export function questionsOf(text: string): string[] {
  const sentences = text
    .split(/(?<=[?!.])\s+|\n+/)
    .flatMap((sentence) => sentence.split(COMMA_THEN_REQUEST))
    .flatMap((sentence) => (looksLikeQuestion(sentence) ? sentence.split(AND_THEN_QUESTION) : [sentence]))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
  return sentences.length < 2 ? [] : sentences.filter((sentence) => looksLikeQuestion(sentence) || OPENS_WITH_REQUEST.test(sentence));
}
