/**
 * search_knowledge: the model's only way to the tenant's approved answers. It remembers every entry it
 * returned during one decision, because a reply may cite only an entry the model was actually shown.
 */
import { z } from "zod";
import type { KnowledgeEntry, Language } from "@salesbot/shared";
import type { KnowledgeBase } from "../../domain/ports/knowledge.js";
import { masked } from "./prompt.js";

export const SEARCH_TOOL = "search_knowledge";
const LIMIT = 3;

const ZArguments = z.object({ query: z.string().min(1).max(500) });

export const searchToolDefinition = {
  type: "function" as const,
  function: {
    name: SEARCH_TOOL,
    description: "Search the company's approved knowledge entries. Returns up to three entries with id, title, body and a relevance in [0, 1].",
    strict: true,
    parameters: {
      type: "object",
      properties: { query: { type: "string", description: "What to look up, in a few words." } },
      required: ["query"],
      additionalProperties: false,
    },
  },
};

export class KnowledgeSession {
  private readonly shown = new Map<string, KnowledgeEntry>();

  constructor(
    private readonly knowledge: KnowledgeBase,
    private readonly tenantId: string,
    private readonly language: Language,
  ) {}

  /** The tool's answer as the JSON string the model reads. Bad calls get an error the model can act on. */
  async call(name: string, rawArguments: string): Promise<string> {
    if (name !== SEARCH_TOOL) return JSON.stringify({ error: `unknown tool ${name}` });
    let json: unknown;
    try {
      json = JSON.parse(rawArguments);
    } catch {
      return JSON.stringify({ error: "arguments are not JSON" });
    }
    const args = ZArguments.safeParse(json);
    if (!args.success) return JSON.stringify({ error: "expected {\"query\": string}" });
    const hits = await this.knowledge.search(this.tenantId, args.data.query, { language: this.language, limit: LIMIT });
    for (const hit of hits) this.shown.set(hit.entry.id, hit.entry);
    const results = hits.map((hit) => ({
      id: hit.entry.id,
      title: masked(hit.entry.title),
      body: masked(hit.entry.body),
      relevance: Math.round(hit.relevance * 100) / 100,
    }));
    return JSON.stringify({ results });
  }

  /** The entry with this id if the tool returned it in this decision. */
  shownEntry(id: string): KnowledgeEntry | null {
    return this.shown.get(id) ?? null;
  }
}
