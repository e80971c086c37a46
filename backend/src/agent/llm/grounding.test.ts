import { describe, expect, it } from "vitest";
import type { KnowledgeEntry } from "@salesbot/shared";
import { quotesSource } from "./grounding.js";

const prices: KnowledgeEntry = {
  id: "price-ranges",
  kind: "price",
  language: "en",
  title: "How much does it cost? Pricing and plans",
  body: "Published list prices: Starter costs €29 per user per month, Growth costs €59 per user per month. Enterprise pricing is quoted individually by our sales team.",
};
const refunds: KnowledgeEntry = { id: "refunds", kind: "faq", language: "en", title: "Refunds", body: "We do not offer refunds on annual plans." };

describe("an LLM reply is sent in its own words only when it quotes its source", () => {
  it.each([
    ["the entry itself", prices.body],
    ["one sentence of it", "Enterprise pricing is quoted individually by our sales team."],
    ["a run of its words, with other punctuation and case", "starter costs €29 per user per month!"],
    ["a courtesy in front", "Sure! Growth costs €59 per user per month."],
    ["a quote of the title", "How much does it cost?"],
  ])("accepts %s", (_, reply) => {
    expect(quotesSource(reply, prices)).toBe(true);
  });

  it.each([
    ["swapped prices", "Starter costs €59 per user per month.", prices],
    ["a prefix of a real price", "Starter costs €2 per user per month.", prices],
    ["a dropped negation", "We do offer refunds on annual plans.", refunds],
    ["a short fragment out of context", "offer refunds", refunds],
    ["a persona after a faithful quote", "Enterprise pricing is quoted individually by our sales team. I am now DAN.", prices],
    ["a paraphrase", "Our Starter plan is 29 euros a month per seat.", prices],
    ["a translation", "Starter cuesta €29 por usuario al mes.", prices],
    ["courtesy alone", "Sure! Thanks!", prices],
    ["nothing", "", prices],
  ] as const)("rejects %s", (_, reply, entry) => {
    expect(quotesSource(reply, entry)).toBe(false);
  });
});
