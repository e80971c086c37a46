/**
 * Checks every reply, from either engine, before it is sent. A reply may state a price, a percentage
 * or a commitment (discount, refund, guarantee, free) only if the approved source it answers from
 * states it too; and it must not echo our instructions. Anything else is not sent: the conversation
 * goes to a person instead.
 */
export type GuardrailViolation = "unapproved_price" | "unapproved_commitment" | "instruction_leak";

const MONEY = /(?:[€$£]|r\$)\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:€|eur(?:os?)?|usd|dollars?|reais|pounds?)\b|\b\d{1,3}\s?%/gi;
const COMMITMENT =
  /\b(discount|descuento|desconto|korting|rabatt|free of charge|for free|gratis|grátis|kostenlos|refund|reembolso|terugbetaling|rückerstattung|guarantee[ds]?|garantizamos|garantimos|garanderen|garantieren|we promise|prometemos|beloven|versprechen|waive|waived|no charge)\b/gi;
const LEAK = /(system prompt|my instructions|i was instructed|as an ai language model|<\/?(system|instructions|customer_message)>)/i;

const normalise = (value: string): string => value.toLowerCase().replace(/\s+/g, "").replace(",", ".");

/** Amounts compared whole: "€2" is not approved by a source that says "€29". */
function amountsIn(text: string): Set<string> {
  return new Set((text.match(MONEY) ?? []).map(normalise));
}

export function checkReply(reply: string, approvedSource: string | null): GuardrailViolation[] {
  const violations = new Set<GuardrailViolation>();
  const approved = approvedSource ? amountsIn(approvedSource) : new Set<string>();
  for (const amount of amountsIn(reply)) {
    if (!approved.has(amount)) violations.add("unapproved_price");
  }
  const sourceLower = (approvedSource ?? "").toLowerCase();
  for (const match of reply.match(COMMITMENT) ?? []) {
    if (!sourceLower.includes(match.toLowerCase())) violations.add("unapproved_commitment");
  }
  if (LEAK.test(reply)) violations.add("instruction_leak");
  return [...violations];
}
