/**
 * Knowledge-base retrieval with MiniSearch (BM25 ranking, prefix and fuzzy matching for typos and
 * inflections). One index per tenant, rebuilt when the tenant's entries change. Ranking is MiniSearch's;
 * the relevance we threshold on is coverage: the share of the question's topic words the entry matches.
 */
import MiniSearch from "minisearch";
import type { KnowledgeEntry, Language } from "@salesbot/shared";
import type { KnowledgeBase, KnowledgeHit } from "../../domain/ports/knowledge.js";
import { stopwords } from "./stopwords.js";
import { fold, topicTerms } from "./topic-terms.js";

interface Source {
  listKnowledge(tenantId: string): Promise<KnowledgeEntry[]>;
  knowledgeVersion(tenantId: string): Promise<string>;
}

interface TenantIndex {
  version: string;
  index: MiniSearch<KnowledgeEntry>;
  entries: Map<string, KnowledgeEntry>;
  /** The languages the tenant wrote entries in. */
  languages: Set<Language>;
}


export class MiniSearchKnowledgeBase implements KnowledgeBase {
  private readonly indexes = new Map<string, TenantIndex>();
  /**
   * The build under way per tenant. Every job answering that tenant needs the index at once (all of
   * them after a restart or an edit of the knowledge base); they wait for one build instead of each
   * reading every entry and indexing it again.
   */
  private readonly building = new Map<string, { version: string; index: Promise<TenantIndex> }>();

  constructor(private readonly source: Source) {}

  private async indexFor(tenantId: string): Promise<TenantIndex> {
    const version = await this.source.knowledgeVersion(tenantId);
    const cached = this.indexes.get(tenantId);
    if (cached && cached.version === version) return cached;
    const underway = this.building.get(tenantId);
    if (underway && underway.version === version) return underway.index;
    const index = this.build(tenantId, version).finally(() => {
      if (this.building.get(tenantId)?.index === index) this.building.delete(tenantId);
    });
    this.building.set(tenantId, { version, index });
    return index;
  }

  private async build(tenantId: string, version: string): Promise<TenantIndex> {
    const entries = await this.source.listKnowledge(tenantId);
    const index = new MiniSearch<KnowledgeEntry>({
      fields: ["title", "body"],
      storeFields: ["id"],
      processTerm: (term) => {
        const folded = fold(term);
        return stopwords.has(folded) ? null : folded;
      },
      searchOptions: { boost: { title: 2 }, prefix: true, fuzzy: 0.2, combineWith: "OR" },
    });
    index.addAll(entries);
    const built = { version, index, entries: new Map(entries.map((e) => [e.id, e])), languages: new Set(entries.map((e) => e.language)) };
    this.indexes.set(tenantId, built);
    return built;
  }

  async search(tenantId: string, query: string, options: { language: Language; limit?: number }): Promise<KnowledgeHit[]> {
    const terms = topicTerms(query);
    if (terms.length === 0) return [];
    const { index, entries, languages } = await this.indexFor(tenantId);
    // A tenant that wrote entries in the customer's language answers in it: a Spanish question is not
    // answered with a Portuguese entry that shares its words. A tenant that did not may still answer
    // from another language's entry, at a discount.
    const ownLanguageOnly = languages.has(options.language);
    const results = index.search(terms.join(" ")).filter((result) => !ownLanguageOnly || entries.get(String(result.id))?.language === options.language);
    const hits: KnowledgeHit[] = [];
    for (const result of results.slice(0, options.limit ?? 3)) {
      const entry = entries.get(String(result.id));
      if (!entry) continue;
      // queryTerms are the query words that matched this entry (after prefix/fuzzy expansion).
      const covered = new Set(result.queryTerms).size;
      const sameLanguage = entry.language === options.language ? 1 : 0.85;
      hits.push({ entry, relevance: Math.min(1, (covered / terms.length) * sameLanguage) });
    }
    return hits.sort((a, b) => b.relevance - a.relevance);
  }

  async get(tenantId: string, id: string): Promise<KnowledgeEntry | null> {
    return (await this.indexFor(tenantId)).entries.get(id) ?? null;
  }

  async ofKind(tenantId: string, kind: KnowledgeEntry["kind"], language: Language): Promise<KnowledgeEntry[]> {
    return [...(await this.indexFor(tenantId)).entries.values()].filter((entry) => entry.kind === kind && entry.language === language);
  }
}
