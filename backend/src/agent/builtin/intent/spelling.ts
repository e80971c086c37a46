/**
 * Repairs one-letter typos in the words the lexicons hang on ("paymnet", "acount", "refnud",
 * "pasword"): customers type fast on phones, and a single slip must not hide an escalation. A word
 * is repaired only when it is at least five letters long, unknown to the model's vocabulary, and
 * one deletion, insertion, substitution or swap away from exactly one keyword (the symmetric-delete
 * trick: compare the sets of one-letter deletions, which costs a few map look-ups per word).
 */
const keywords = [
  // en
  "account", "refund", "refunds", "password", "payment", "payments", "complaint", "complain", "cancel", "cancellation", "subscription",
  "contract", "delete", "declined", "charged", "reimbursement", "representative", "human", "person", "operator", "customer", "unacceptable",
  "disappointed", "terrible", "horrible", "transaction", "purchase", "product", "article", "articles", "delivery", "shipping", "shipment",
  "newsletter", "review", "invoice", "discount", "pricing", "termination", "terminate", "fraudulent", "identity", "profile", "recover",
  "unsubscribe", "someone", "somebody", "speak", "assistant", "agent", "manager", "order", "price", "quote", "demo", "meeting", "appointment",
  "schedule", "compensation", "rebate", "charge", "credit", "debit", "stolen", "hacked", "login", "username", "options", "methods",
  // es, pt, nl, de
  "contrasena", "reembolso", "reclamacion", "queja", "cuenta", "tarjeta", "persona", "humano", "agente", "asesor", "precio", "contrato",
  "senha", "reclamacao", "cartao", "pagamento", "atendente", "preco", "cancelar", "assinatura",
  "wachtwoord", "terugbetaling", "klacht", "medewerker", "betaling", "prijs", "opzeggen", "afmelden",
  "passwort", "beschwerde", "ruckerstattung", "erstattung", "zahlung", "mitarbeiter", "kundigen", "vertrag", "abmelden",
];

/** Real words one letter away from a keyword, which must stay as typed ("shopping" is not "shipping"). */
const protectedWords = new Set(["shopping", "shopper", "shoppers", "chopping", "shipper", "cancer", "cancers", "ordre", "older", "alter", "humane", "person", "review", "reviews", "manger", "charges", "changed", "change", "prize", "prices", "priced", "agents", "stolen", "debut", "orders"]);

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

const exact = new Set([...keywords, ...protectedWords]);
/** Each key maps to the keywords it is one deletion from (or equal to); more than one means ambiguous. */
const neighbourhood = new Map<string, Set<string>>();
for (const keyword of keywords) {
  for (const key of [keyword, ...deletions(keyword)]) {
    const set = neighbourhood.get(key) ?? new Set<string>();
    set.add(keyword);
    neighbourhood.set(key, set);
  }
}

const MIN_LENGTH = 5;

export function correctToken(token: string, isKnownWord: (word: string) => boolean): string {
  if (token.length < MIN_LENGTH || exact.has(token) || isKnownWord(token)) return token;
  const candidates = new Set<string>();
  for (const key of [token, ...deletions(token)]) {
    for (const keyword of neighbourhood.get(key) ?? []) {
      if (keyword.length >= MIN_LENGTH && Math.abs(keyword.length - token.length) <= 1) candidates.add(keyword);
    }
  }
  // Symmetric deletes also pair words two edits apart; keep the true one-edit neighbours. Ties are
  // between forms of one word ("complain", "complaint"), so the first listed is as good as any.
  const best = keywords.find((keyword) => candidates.has(keyword) && withinOneEdit(token, keyword));
  return best ?? token;
}

/** Damerau-Levenshtein distance ≤ 1: one insertion, deletion, substitution or swap of neighbours. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
