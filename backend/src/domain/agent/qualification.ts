/**
 * Lead qualification: what the customer told us (need, company size, timeline, budget, product,
 * name, company, e-mail), read from their own words; which question to ask next (one at a time,
 * never one the CRM or an earlier turn already answered); and a lead score from what is known.
 */
import type { Qualification, QualificationField } from "@salesbot/shared";
import { isFiller, OPENING_GREETING, soundsLikeDeclining } from "./signals.js";

const number = (raw: string): number => {
  const cleaned = raw.replace(/[\s.,](?=\d{3}\b)/g, "").replace(",", ".");
  return Number(cleaned);
};

function amount(value: string, suffix: string | undefined): number {
  const base = number(value);
  const s = (suffix ?? "").toLowerCase();
  if (s === "k" || s.startsWith("mil") || s === "thousand" || s === "tausend" || s === "duizend") return base * 1000;
  if (s === "m" || s.startsWith("million") || s.startsWith("miljoen") || s.startsWith("millón") || s.startsWith("milhão") || s.startsWith("milhões")) return base * 1_000_000;
  return base;
}

const currencyOf = (text: string): string | null => {
  if (/[€]|\beur(o|os)?\b/i.test(text)) return "EUR";
  if (/[£]|\bgbp\b|\bpounds?\b/i.test(text)) return "GBP";
  if (/\bR\$|\breais\b|\bbrl\b/i.test(text)) return "BRL";
  if (/[$]|\busd\b|\bdollars?\b|\bdólares\b/i.test(text)) return "USD";
  return null;
};

// "30 sales reps", "12 support agents": one word saying which people may stand between number and noun.
const SIZE = /\b(\d{1,6})\s*(?:\+\s*)?(?:(?:sales|support|service|customer|full[- ]time|active|ventas|vendas|verkoop|vertrieb|soporte|suporte)\s+)?(people|persons|employees|staff|users|seats|agents|reps|salespeople|empleados|personas|usuarios|funcionários|funcionarios|pessoas|usuários|medewerkers|mensen|gebruikers|mitarbeiter(?:innen|n)?|personen|leute|nutzer|benutzer|licen[cs]es|licencias|licen[cç]as|licenties|lizenzen|lawyers|attorneys|agentes|atendentes|doctors|engineers|developers|consultants|advisors|brokers|realtors|drivers|nurses|teachers|members|colleagues|workers|sellers|man|mann|abogados|vendedores|asesores|advogados|corretores|consultores|advocaten|verkopers|adviseurs|anwälte|anwälten|verkäufer|verkäufern|berater|beratern|makler|maklern|receptionists|recepcionistas|dentists|dentistas|tandartsen|zahnärzte|zahnärzten|leuten|nutzern|benutzern)\b/i;
const TEAM_OF = /\b(?:team|equipo|equipe|empresa|company|bedrijf|firma|unternehmen)\s+(?:of|de|van|von|mit)\s+(\d{1,6})\b/i;
// "a 40 person company", "our 8-person team", "ein 40-köpfiges Team".
const SIZED_ORGANISATION =
  /\b(\d{1,6})[\s-]*(?:(?:person|people|man|member|employee|staff)[\s-]+(?:company|team|business|firm|startup|shop|agency|store|organi[sz]ation|office|department)|köpfig\w*)\b/i;
const BUDGET = /\b(?:budget|presupuesto|orçamento|orcamento|begroting|budget von)\b[^\d€$£]{0,20}(?:[€$£]|r\$)?\s*(\d[\d.,\s]*)\s*(k|m|mil|thousand|million|tausend|duizend)?/i;
const MONEY = /(?:[€$£]|r\$)\s*(\d[\d.,]*)\s*(k|m)?\b|\b(\d[\d.,]*)\s*(k|m|mil|thousand)?\s*(?:€|eur(?:os?)?|usd|dollars?|reais|pounds?)\b/i;
const TIMELINE =
  /\b(asap|as soon as possible|urgent(?:ly)?|today|tomorrow|this week|next week|this month|next month|this quarter|next quarter|this year|next year|in \d+\s*(?:days?|weeks?|months?)|within \d+\s*(?:days?|weeks?|months?)|(?:en|dentro de|em|daqui a|over|binnen|in|innerhalb von) \d+\s*(?:d[ií]as|semanas?|mes(?:es)?|dias|m[eê]s(?:es)?|dagen|weken|maanden|tagen|wochen|monaten)|q[1-4]|no rush|no hurry|not urgent|sin prisa|sem pressa|geen haast|keine eile|lo antes posible|urgente|este mes|el próximo mes|el proximo mes|la próxima semana|este año|o quanto antes|este mês|próximo mês|proximo mes|próxima semana|zo snel mogelijk|deze maand|volgende maand|volgende week|dit jaar|so schnell wie möglich|dringend|diesen monat|nächsten monat|nächste woche|dieses jahr)\b/i;
const MONTHS =
  "summer|spring|autumn|fall|winter|verano|primavera|oto[nñ]o|invierno|ver[aã]o|outono|inverno|zomer|lente|voorjaar|najaar|herfst|sommer|frühling|herbst|january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|januari|februari|maart|mei|juni|juli|augustus|oktober|januar|februar|märz|mai|dezember";
// "starting in January", "by March", "before summer", "a partir de mayo", "ab März": a month or a season only
// after a word that makes it a date.
const MONTH_TIMELINE = new RegExp(
  `\\b(?:(?:starting|start|from|by|before|until|in|early|late|mid|end of|this|next|en|para|desde|antes de|antes del|a partir de|em|at[eé]|antes do|vanaf|voor|per|deze|volgende|ab|bis|im|vor|anfang|ende|diesen|nächsten)\\s+)+(?:${MONTHS})(?:\\s+\\d{4})?(?!\\p{L})`,
  "iu",
);
// "We started using HubSpot in March", "fuimos fundados en mayo", "seit letztem Sommer": a date the customer
// tells of as past is history, not when they mean to buy. Only words that mark the past unambiguously:
// "empezamos" is also "we start", "schon im März" may be "as early as March", German "was" is "what".
const PAST =
  /(?:^|[^\p{L}])(?:started|began|begun|signed|joined|launched|bought|purchased|switched|opened|founded|went live|were(?! (?:hoping|wondering|thinking|planning|going|looking))|ago|since|last (?:year|month|summer|spring|autumn|fall|winter|quarter)|fue|fueron|fuimos|empez[oó]|comenz[oó]|pasad[oa](?! mañana)|foi|foram|fomos|começou|passad[oa]|sinds|geleden|waren|begonnen|gestart|gekocht|overgestapt|vorig(?:e)? (?:jaar|maand|zomer|winter|najaar|voorjaar)|seit|war|angefangen|gestartet|gekauft|gewechselt|letzte[nmrs]? (?:jahr|monat|sommer|winter|herbst|frühling|quartal))(?!\p{L})/iu;
// "asap", "lo antes posible", "so schnell wie möglich": now. "next month", "en 2 semanas", "binnen 3 weken": soon.
const NOW =
  /asap|as soon as possible|urgent|today|tomorrow|dringend|urgente|snel mogelijk|lo antes posible|cuanto antes|o quanto antes|so schnell wie m[oö]glich|hoy|mañana|hoje|amanh[aã]|vandaag|morgen|heute/i;
const SOON =
  /this week|next week|this month|next month|in \d+\s*(?:days?|weeks?)|within \d+\s*(?:days?|weeks?)|esta semana|la pr[oó]xima semana|pr[oó]xima semana|este mes|el pr[oó]ximo mes|pr[oó]ximo m[eê]s|este m[eê]s|deze week|volgende week|deze maand|volgende maand|diese woche|n[aä]chste woche|diesen monat|n[aä]chsten monat|\d+\s*(?:d[ií]as|semanas|dagen|weken|tagen|wochen)\b/i;

/** How soon the customer's own timeline asks a person to act, if they gave one. */
export function timelineUrgency(timeline: string | null): "high" | "normal" | null {
  if (!timeline) return null;
  return NOW.test(timeline) ? "high" : SOON.test(timeline) ? "normal" : null;
}

/** matchAll needs the global flag; the patterns stay as they read above. */
const EVERY_TIMELINE = [TIMELINE, MONTH_TIMELINE].map((pattern) => new RegExp(pattern.source, `${pattern.flags}g`));
/** Where a clause ends: a sentence's end, a comma, or a conjunction joining two statements. */
const CLAUSE_BREAK = /[.;!?,\n]|(?:^|[^\p{L}])(?:and|but|y|pero|e|mas|maar|und|aber)(?!\p{L})/giu;

/** The clause of `text` around [start, end). */
function clauseAround(text: string, start: number, end: number): string {
  let from = 0;
  let to = text.length;
  for (const hit of text.matchAll(CLAUSE_BREAK)) {
    if (hit.index + hit[0].length <= start) from = hit.index + hit[0].length;
    else if (hit.index >= end) {
      to = hit.index;
      break;
    }
  }
  return text.slice(from, to);
}

/** "in March 2023" said in 2026: a year gone by makes the date history, whatever the verb. */
function inAPastYear(date: string, currentYear: number | null): boolean {
  const year = /\b(?:19|20)\d\d\b/.exec(date);
  return currentYear !== null && year !== null && Number(year[0]) < currentYear;
}

/** The first date or urgency in `text` that is not told of as past. */
function statedTimeline(text: string, currentYear: number | null): string | null {
  for (const pattern of EVERY_TIMELINE) {
    for (const hit of text.matchAll(pattern)) {
      if (!PAST.test(clauseAround(text, hit.index, hit.index + hit[0].length)) && !inAPastYear(hit[0], currentYear)) return hit[0];
    }
  }
  return null;
}

/**
 * A sentence in which the customer says what they are after ("we want to answer WhatsApp leads from
 * HubSpot", "looking for a WhatsApp bot for our CRM", "necesitamos un asistente de ventas").
 */
const WANTS =
  /(?:^|[^\p{L}])(?:(?:we|i)(?:['’]re| are|['’]m| am)?\s+(?:really\s+|also\s+)?(?:want|wanna|need|would like|looking|searching|hoping|planning)|(?:we|i)['’]d like|want to|looking for|(?:and|&|und|y|e|en)\s+(?:also\s+|auch\s+|tambi[eé]n\s+|ook\s+)?(?:want|need|would like|brauchen|wollen|möchten|suchen|necesitamos|queremos|buscamos|precisamos|procuramos|willen|zoeken)|queremos|quiero|necesitamos|necesito|buscamos|busco|nos gustar[ií]a|me gustar[ií]a|quero|precisamos|preciso|procuramos|procuro|gostar[ií]amos|gostaria|we willen|ik wil|wij willen|we zoeken|ik zoek|wir wollen|ich will|wir möchten|ich möchte|wir suchen|ich suche|wir brauchen|ich brauche)(?:\s+(?:to|for|a|an|um zu|um|zu|een|uma|un|una|ein|eine|einen|de)){0,2}\s+(\p{L}+)/iu;
// What follows the want when it is no need of a product: talking to someone, knowing something, a
// pronoun ("we need it next month"), an account matter, leaving.
const NOT_A_NEED =
  /^(?:know|ask|talk|speak|chat|contact|call|reach|meet|see|check|cancel|unsubscribe|stop|complain|buy|order|purchase|help|quote|quotation|proposal|discount|price|prices|invoice|demo|sign|subscribe|contratar|assinar|cotizaci[oó]n|presupuesto|or[cç]amento|offerte|angebot|it|this|that|them|one|more|some|someone|somebody|person|human|agent|representative|refund|persona|pessoa|iemand|jemand|mensch|saber|hablar|preguntar|cancelar|comprar|ayuda|falar|perguntar|ajuda|weten|praten|spreken|vragen|opzeggen|kopen|hulp|wissen|sprechen|fragen|kündigen|kaufen|hilfe|es|das|lo|la|isso|dat|het)$/iu;

/**
 * A sentence in which the customer says what goes wrong today ("we get lots of WhatsApp leads and lose many
 * of them", "no damos abasto con los mensajes", "unser Problem ist die Reaktionszeit"): the need, in their words.
 */
const PAIN =
  /(?:^|[^\p{L}])(?:(?:we|i)(?:['’]re| are)?\s+(?:keep\s+|often\s+|always\s+)?(?:lose|losing|miss|missing|struggle|struggling|waste|wasting|spend too much)|(?:can['’]?t|cannot|can not) keep up|(?:and|but)\s+(?:lose|miss|struggle|waste)|(?:our|my|the)\s+(?:biggest\s+|main\s+)?(?:problem|issue|challenge|pain)\s+is|perdemos|estamos perdiendo|no damos abasto|nos cuesta|(?:nuestro|el)\s+problema\s+es|estamos perdendo|n[aã]o damos conta|temos dificuldade|(?:nosso|o)\s+problema\s+[eé]|we verliezen|we missen|(?:ons|het)\s+probleem\s+is|wir verlieren|wir verpassen|wir kommen nicht hinterher|(?:unser|das)\s+problem\s+ist)(?!\p{L})/iu;

function statedNeed(text: string): string | null {
  for (const sentence of text.split(/(?<=[.!?;])\s+|\n+/)) {
    const want = WANTS.exec(sentence);
    if ((want && !NOT_A_NEED.test(want[1]!)) || PAIN.test(sentence)) return sentence.trim().replace(OPENING_GREETING, "").slice(0, 500);
  }
  return null;
}

// A product named as such: "the Growth plan", "interested in Enterprise", "el plan Growth", "das Growth-Paket".
// A name is capitalised, as customers write the names of plans; "a plan" or "your plans" names none.
const PLAN_NAME = String.raw`(\p{Lu}[\p{L}\d+]*(?:\s\p{Lu}[\p{L}\d+]*)?)`;
const PLAN_BEFORE = new RegExp(`${PLAN_NAME}[\\s-](?:plan|package|tier|edition|subscription|[Pp]akket|abonnement|[Pp]aket|[Tt]arif)\\b`, "u");
const PLAN_AFTER = new RegExp(`\\b(?:plan|plano|[Pp]akket|[Pp]aket|[Tt]arif|paquete|pacote)\\s+${PLAN_NAME}`, "u");
// Not case-insensitive as a whole: the name's capital is what tells a plan from a common word.
const INTERESTED_IN = new RegExp(
  `\\b(?:[Ii]nterested in|[Ii]nteresad[oa]s? en|[Ii]nteressad[oa]s? (?:em|no|na)|[Gg]eïnteresseerd in|[Ii]nteressiert an|[Ii]nteresse an)\\s+(?:the |el |la |los |o |a |het |de |den |das |dem )?${PLAN_NAME}`,
  "u",
);
const NOT_A_PLAN = /^(?:WhatsApp|CRM|HubSpot|Salesforce|I|We|Our|Your|The|A|An)$/;
/** Capitalised at the start of a sentence, not as part of a name ("Is WhatsApp plan included?"). */
const LEADING_WORD = /^(?:The|A|An|Our|Your|My|Is|Are|Do|Does|Can|What|Which|How|El|La|Los|Las|O|Os|As|Het|De|Der|Die|Das|Den|Dem|Es|Ist|Hay|Tem|Heeft)\s+/;

function namedPlan(text: string): string | null {
  for (const pattern of [INTERESTED_IN, PLAN_BEFORE, PLAN_AFTER]) {
    const name = pattern.exec(text)?.[1]?.replace(LEADING_WORD, "");
    if (name && !NOT_A_PLAN.test(name)) return name;
  }
  return null;
}

// "just 4 of us", "there are 12 of us".
const OF_US = /\b(\d{1,6})\s+of us\b/i;
// "we are 20", "somos 20", "wir sind 20": a head count, unless a unit follows ("we are 20 minutes away").
const WE_ARE_COUNT =
  /\b(?:we are|we're|somos|wir sind|we zijn|wij zijn)\s+(?:about\s+|around\s+|roughly\s+|unos\s+|unas\s+|cerca de\s+|uns\s+|umas\s+|etwa\s+|ca\.?\s+|rund\s+|ongeveer\s+|zo'?n\s+)?(\d{1,6})\b(?!\s*(?:%|€|\$|[.,]\d|eur|usd|min|minutes?|hours?|km|miles?|years?|años|anos|jahre|jaar|days?|d[ií]as|tage))/i;

const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/;
// The lead-in is matched case-insensitively; the name itself must be capitalised, as people write names.
// Per line (`m`): a burst arrives as one message per line, and a lead-in reads to the end of its own.
const NAME_LEAD =
  /(?:^|[^\p{L}])(?:my name is|i am|i'm|me llamo|mi nombre es|soy(?: la| el)?|meu nome é|me chamo|sou(?: a| o)?|mijn naam is|ik ben|ich heiße|ich heisse|ich bin|mein name ist)\s+(.*)$/imu;
const NAME = /^([A-ZÀ-Ý][\p{L}'-]+(?:\s+[A-ZÀ-Ý][\p{L}'-]+)?)/u;
const COMPANY_LEAD =
  /(?:^|[^\p{L}])(?:i work (?:at|for)|from the company|trabajo en|trabalho na|trabalho no|(?:de la|de|da|do) empresa|ik werk bij|van het bedrijf|ich arbeite bei|von der firma)\s+(.*)$/imu;
const COMPANY = /^([A-Z][\p{L}\d&.'-]+(?:\s+[A-Z0-9][\p{L}\d&.'-]+){0,3})/u;
// "Carla from Globex", "Marta da Acme", "Jan van Bakkerij Smit": the company a name comes with.
const NAME_THEN_COMPANY = /^(?:from|at|de|da|do|van|von|bei)\s+(.*)$/imu;

function after(lead: RegExp, value: RegExp, text: string): string | null {
  const rest = lead.exec(text)?.[1];
  return rest ? (value.exec(rest)?.[1] ?? null) : null;
}

/**
 * Reads qualification answers out of a customer's message; only what it states plainly. `currentYear`,
 * where known, tells a date in a year gone by from one to come.
 */
export function extractQualification(text: string, askedField: QualificationField | null = null, currentYear: number | null = null): Partial<Qualification> {
  const found: Partial<Qualification> = {};
  const size = SIZE.exec(text) ?? TEAM_OF.exec(text) ?? SIZED_ORGANISATION.exec(text) ?? WE_ARE_COUNT.exec(text) ?? OF_US.exec(text);
  if (size) found.company_size = Number(size[1]);
  const budget = BUDGET.exec(text);
  const money = budget ?? (askedField === "budget" || /\b(budget|spend|invest)\b/i.test(text) ? MONEY.exec(text) : null);
  if (money) {
    const value = money[1] ?? money[3];
    const suffix = money[2] ?? money[4];
    if (value) {
      const parsed = amount(value, suffix);
      if (Number.isFinite(parsed) && parsed > 0) {
        found.budget = parsed;
        found.budget_currency = currencyOf(text);
      }
    }
  }
  const timeline = statedTimeline(text, currentYear);
  if (timeline) found.timeline = timeline;
  const need = statedNeed(text);
  if (need) found.need = need;
  const plan = namedPlan(text);
  if (plan) found.product_interest = plan;
  const email = EMAIL.exec(text);
  if (email) found.email = email[0].toLowerCase();
  const introduced = NAME_LEAD.exec(text)?.[1];
  const name = introduced ? (NAME.exec(introduced)?.[1] ?? null) : null;
  if (name) found.name = name;
  const company = after(COMPANY_LEAD, COMPANY, text) ?? (name ? after(NAME_THEN_COMPANY, COMPANY, introduced!.slice(name.length).trim()) : null);
  if (company) found.company = company;
  // A direct answer to the question we asked counts even without keywords, unless it answered something
  // else, declined ("weet ik niet" is no product) or said nothing ("haha ok").
  if (Object.keys(found).length > 0 || soundsLikeDeclining(text) || isFiller(text)) return found;
  if (askedField === "need" && !found.need && text.trim().length >= 3) found.need = text.trim().slice(0, 500);
  if (askedField === "product_interest" && text.trim().length >= 2) found.product_interest = text.trim().slice(0, 200);
  if (askedField === "company_size" && found.company_size === undefined) {
    const bare = /\b(\d{1,6})\b/.exec(text);
    if (bare) found.company_size = Number(bare[1]);
  }
  // A number that is not a year is a count or an amount ("around 25 lawyers"), not a date.
  if (askedField === "timeline" && !found.timeline && text.trim().length >= 2 && !/\b(?!(?:19|20)\d\d\b)\d+\b/.test(text)) found.timeline = text.trim().slice(0, 200);
  if (askedField === "budget") {
    // "maybe 300 a month" right after the budget question: a budget, in no currency named.
    const bare = /(?:^|[^\d.,])(\d[\d.,]*)\s*(k|m|mil|thousand|tausend|duizend)?\b/i.exec(text);
    const value = bare ? amount(bare[1]!, bare[2]) : NaN;
    if (Number.isFinite(value) && value > 0) found.budget = value;
  }
  return found;
}

/** The order a good rep asks in: what they need first, money last. */
export const questionOrder: QualificationField[] = ["need", "product_interest", "company_size", "timeline", "budget"];

/** The first unknown field not asked before: a customer who skips a question is not asked it again. */
export function nextQuestion(known: Qualification, asked: readonly QualificationField[] = []): QualificationField | null {
  return questionOrder.find((field) => known[field] === null && !asked.includes(field)) ?? null;
}

export function mergeQualification(known: Qualification, learned: Partial<Qualification>): Qualification {
  const merged = { ...known };
  for (const [key, value] of Object.entries(learned) as Array<[keyof Qualification, Qualification[keyof Qualification]]>) {
    if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/**
 * 0–100. Completeness of the picture (what a rep needs to act) plus the size of the opportunity and
 * its urgency. Deliberately simple and explainable: each point can be read off the fields.
 */
export function leadScore(known: Qualification): number {
  let score = 0;
  for (const field of questionOrder) if (known[field] !== null) score += 10;
  if (known.email) score += 5;
  if (known.company) score += 5;
  const size = known.company_size ?? 0;
  score += size >= 500 ? 20 : size >= 100 ? 15 : size >= 20 ? 10 : size > 0 ? 5 : 0;
  const budget = known.budget ?? 0;
  score += budget >= 50_000 ? 20 : budget >= 10_000 ? 15 : budget >= 2_000 ? 8 : budget > 0 ? 3 : 0;
  if (known.timeline && /asap|soon|urgent|today|tomorrow|this week|this month|pronto|urgente|dringend|snel|posible|possível|possivel/i.test(known.timeline)) score += 10;
  return Math.min(100, score);
}
