/**
 * Knowledge-base retrieval with MiniSearch (BM25 ranking, prefix and fuzzy matching for typos and
 * inflections). One index per tenant, rebuilt when the tenant's entries change. Ranking is MiniSearch's;
 * the relevance we threshold on is coverage: the share of the question's topic words the entry matches.
 */
import MiniSearch from "minisearch";
import type { KnowledgeEntry, Language } from "@salesbot/shared";
import type { KnowledgeBase, KnowledgeHit } from "../../domain/ports/knowledge.js";
import { stopwords } from "./stopwords.js";
import { fold } from "./fold.js";
import { topicTerms } from "./topic-terms.js";
import { countContexts, coversCount, isCount } from "./counted-words.js";

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
  /** Per entry, the numbers it writes and the words beside them (counted-words.ts). */
  counts: Map<string, Map<string, Set<string>>>;
  /** Per query term, how much it says about a question (see termWeight); filled as terms are asked. */
  weights: Map<string, number>;
}

/**
 * A word of the question no entry holds says the knowledge base is silent on what is asked: "can I pay with
 * credit card?" is not answered by the trial entry's "no credit card required" for its two other words.
 */
const UNKNOWN_TERM_FACTOR = 1.5;
/** Past this many, a tenant's term weights are forgotten and computed again as asked. */
const MAX_CACHED_WEIGHTS = 10_000;

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
    const built = {
      version,
      index,
      entries: new Map(entries.map((e) => [e.id, e])),
      languages: new Set(entries.map((e) => e.language)),
      counts: new Map(entries.map((e) => [e.id, countContexts(`${e.title}\n${e.body}`)])),
      weights: new Map<string, number>(),
    };
    this.indexes.set(tenantId, built);
    return built;
  }

  async search(tenantId: string, query: string, options: { language: Language; limit?: number }): Promise<KnowledgeHit[]> {
    const terms = topicTerms(query);
    if (terms.length === 0) return [];
    const built = await this.indexFor(tenantId);
    const { index, entries, languages } = built;
    // A tenant that wrote entries in the customer's language answers in it: a Spanish question is not
    // answered with a Portuguese entry that shares its words. A tenant that did not may still answer
    // from another language's entry, at a discount.
    const ownLanguageOnly = languages.has(options.language);
    const results = index.search(terms.join(" ")).filter((result) => !ownLanguageOnly || entries.get(String(result.id))?.language === options.language);
    const weights = terms.map((term) => termWeight(built, term));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    const questionCounts = countContexts(query);
    const hits: KnowledgeHit[] = [];
    for (const result of results.slice(0, options.limit ?? 3)) {
      const entry = entries.get(String(result.id));
      if (!entry) continue;
      // queryTerms are the query words that matched this entry (after prefix/fuzzy expansion). A word
      // few entries share weighs more than one most of them do: "do you support WhatsApp groups?"
      // covering "support" and "WhatsApp" says little, missing "groups" says a lot.
      // A number only where the entry writes it beside the words the question does (counted-words.ts).
      const entryCounts = built.counts.get(entry.id) ?? new Map<string, Set<string>>();
      const matched = new Set(result.queryTerms.filter((term) => !isCount(term) || coversCount(term, questionCounts, entryCounts)));
      // A near spelling ("languges") counts as the word alongside a word the entry holds as written; alone
      // ("started" for "Starter"), it is too weak to answer with.
      const asWritten = terms.map((term) => matched.has(term) && holdsAsWritten(term, result.terms));
      const strength = asWritten.includes(true) ? 1 : NEAR_SPELLING_ALONE;
      // "two WhatsApp numbers" against an entry on "their WhatsApp number": with the count missed, the
      // near spelling is the very difference between question and entry, and no evidence of an answer.
      const countMissed = terms.some((term) => isCount(term) && !matched.has(term));
      const counts = (i: number) => matched.has(terms[i]!) && (asWritten[i] || !countMissed);
      const covered = terms.reduce((sum, _term, i) => (counts(i) ? sum + weights[i]! * strength : sum), 0);
      const sameLanguage = entry.language === options.language ? 1 : 0.85;
      hits.push({ entry, relevance: Math.min(1, (covered / total) * sameLanguage) });
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

/** How much a word the entry matches only as a near spelling counts, when it matches no word as written. */
const NEAR_SPELLING_ALONE = 0.5;

/** The entry holds the word as written, or as the start of a longer one ("plan" in "plans"). */
function holdsAsWritten(term: string, entryTerms: readonly string[]): boolean {
  return entryTerms.some((entryTerm) => entryTerm.startsWith(term));
}

/**
 * An inverse document frequency: ln(1 + N / (1 + entries the term matches)). A term no entry matches
 * weighs most, so a question about something the knowledge base does not cover is not answered for
 * its other words.
 */
function termWeight(built: TenantIndex, term: string): number {
  let weight = built.weights.get(term);
  if (weight === undefined) {
    if (built.weights.size >= MAX_CACHED_WEIGHTS) built.weights.clear();
    const matches = built.index.search(term).length;
    weight = Math.log(1 + built.entries.size / (1 + matches)) * (matches === 0 ? UNKNOWN_TERM_FACTOR : 1);
    built.weights.set(term, weight);
  }
  return weight;
}
