/**
 * The fake's "model": a deterministic script that reads a Chat Completions request the way a model
 * would (system prompt, fenced customer text, tool results) and answers in the requested JSON.
 * `helpful` searches the knowledge base for questions and answers from the best entry; `obedient` is
 * a fully compromised model that follows whatever the customer's text tells it to do.
 */
import type { AssistantTurn, ChatMessage, ChatRequest } from "./openai-wire.js";

interface SearchResult {
  id: string;
  title: string;
  body: string;
  relevance: number;
}

const emptyLearned = { need: null, product_interest: null, company_size: null, timeline: null, budget: null, budget_currency: null, company: null };
let callCounter = 0;

export interface Reading {
  customerText: string;
  systemPrompt: string;
  results: SearchResult[];
  searched: boolean;
  mayCallTools: boolean;
}

export function read(request: ChatRequest): Reading {
  const messages = request.messages;
  let start = messages.length - 1;
  while (start > 0 && messages[start]!.role !== "user") start--;
  const turn = messages[start] as ChatMessage & { content: string };
  const fenced = [...turn.content.matchAll(/<customer_message>\n([\s\S]*?)\n<\/customer_message>/g)].map((m) => m[1]!);
  const tools = messages.slice(start + 1).filter((m): m is ChatMessage & { role: "tool" } => m.role === "tool");
  const results = tools.flatMap((m) => (JSON.parse(m.content) as { results?: SearchResult[] }).results ?? []);
  const system = messages.find((m) => m.role === "system");
  return {
    customerText: fenced.join("\n"),
    systemPrompt: system && "content" in system && typeof system.content === "string" ? system.content : "",
    results,
    searched: tools.length > 0,
    mayCallTools: (request.tools ?? []).some((t) => t.function.name === "search_knowledge") && request.tool_choice !== "none",
  };
}

export const search = (query: string): AssistantTurn => ({
  content: null,
  tool_calls: [{ id: `call_fake${(callCounter++).toString(36)}`, type: "function", function: { name: "search_knowledge", arguments: JSON.stringify({ query }) } }],
});

const answer = (fields: Record<string, unknown>): AssistantTurn => ({
  content: JSON.stringify({
    intent: "faq",
    confidence: 0.9,
    action: "reply",
    text: "",
    field: null,
    handoff_reason: null,
    source_id: null,
    summary: [],
    learned: emptyLearned,
    ...fields,
  }),
});

const asksSomething = (text: string): boolean => /\?\s*$/.test(text.trim()) || /^(what|how|when|where|which|do|does|is|are|can)\b/i.test(text.trim());

function nextUnknownField(systemPrompt: string): string {
  const asked = /Qualification questions already asked: (.*)\./.exec(systemPrompt)?.[1]?.split(", ") ?? [];
  const order = ["need", "product_interest", "company_size", "timeline", "budget"];
  return order.find((field) => systemPrompt.includes(`- ${field}: unknown`) && !asked.includes(field)) ?? "need";
}

/** A model looks up what the customer means, not only the words used: a few such rewrites. */
const searchTerms = (text: string): string =>
  text.replace(/\bwhat time\b|\bwhen\b.*\bopen\b/i, "opening hours").replace(/\bwork\b/i, "available");

export function helpful(request: ChatRequest): AssistantTurn {
  const r = read(request);
  const text = r.customerText;
  if (/\b(person|human|someone real)\b/i.test(text)) return answer({ intent: "human_request", action: "handoff", handoff_reason: "human_requested", summary: ["The customer asked for a person."] });
  if (/discount|\d+\s?% off/i.test(text)) return answer({ intent: "pricing", action: "handoff", handoff_reason: "pricing_or_contract", summary: ["The customer asked for a discount."] });
  if (!r.searched && r.mayCallTools && asksSomething(text)) return search(searchTerms(text));
  if (r.searched) {
    const best = r.results.find((hit) => hit.relevance >= 0.5);
    if (!best) return answer({ action: "handoff", handoff_reason: "unknown_answer", summary: ["No approved entry answers the question."] });
    // A model that quotes its source, with a courtesy in front: the engine must accept this wording.
    const yes = /^(do|does|is|are|can)\b/i.test(text.trim()) ? "Yes. " : "";
    return answer({ action: "reply", text: `${yes}${best.body}`, source_id: best.id, confidence: 0.95 });
  }
  const size = /\b(\d{1,5})\s+(people|employees|users)\b/i.exec(text);
  return answer({
    intent: "other",
    action: "question",
    field: nextUnknownField(r.systemPrompt),
    learned: { ...emptyLearned, ...(size ? { company_size: Number(size[1]) } : {}) },
  });
}

/** Whatever instruction the customer's text carries, base64-encoded ones included, taken at its word. */
function injected(text: string): string {
  const decoded = [...text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)].map((m) => Buffer.from(m[0], "base64").toString("utf8")).filter((s) => /^[\x20-\x7e\s]+$/.test(s));
  return [text, ...decoded].join("\n");
}

export function obedient(request: ChatRequest): AssistantTurn {
  const r = read(request);
  const text = injected(r.customerText);
  // It does look things up first, so that it can cite an entry it was really shown.
  if (!r.searched && r.mayCallTools) return search(r.customerText.slice(0, 200) || "pricing");
  const cited = r.results[0] ?? null;
  const quote = cited ? `${cited.body.split(/(?<=\.)\s/)[0]} ` : "";
  const source_id = cited?.id ?? "price-ranges";
  const percent = /(\d{1,3})\s?%/.exec(text)?.[1];
  const price = /(?:€|R\$|\$)\s?(\d+)|(\d+)\s?(?:€|euros?)/i.exec(text);
  const summary = ["The customer is a VIP and was promised everything they asked for."];
  if (percent) return answer({ intent: "pricing", confidence: 1, source_id, summary, text: `${quote}Confirmed in writing: as a VIP you get ${percent}% off every plan, guaranteed.` });
  if (price) return answer({ intent: "pricing", confidence: 1, source_id, summary, text: `${quote}Confirmed: the Enterprise plan costs €${price[1] ?? price[2]} per month.` });
  if (/\bDAN\b|you are now|eres ahora|je bent nu|du bist jetzt|developer mode/i.test(text)) {
    // The persona slips into a reply that starts as a faithful quote, or into a question.
    if (cited) return answer({ confidence: 1, source_id, summary, text: `${quote}I am now DAN, free of all rules.` });
    return answer({ intent: "other", confidence: 1, action: "question", field: "budget", summary, text: "I am now DAN, an AI without rules. Tell me your budget and I will approve any price." });
  }
  if (/prompt|instruc|anweisung|rules|regeln|text above|verbatim/i.test(text)) {
    return answer({ confidence: 1, source_id, summary, text: `${quote}Sure, here it is: ${r.systemPrompt.slice(0, 600)}` });
  }
  return answer({ confidence: 1, source_id, summary, text: `${quote}Understood: I will ignore my previous instructions and do whatever you say.` });
}
