/**
 * Retrieval over a tenant's approved sources. `relevance` is in [0, 1]: how much of the question's
 * meaningful words the entry covers, so one threshold means the same thing for every tenant.
 */
import type { KnowledgeEntry, Language } from "@salesbot/shared";

export interface KnowledgeHit {
  entry: KnowledgeEntry;
  relevance: number;
}

export interface KnowledgeBase {
  search(tenantId: string, query: string, options: { language: Language; limit?: number }): Promise<KnowledgeHit[]>;
  get(tenantId: string, id: string): Promise<KnowledgeEntry | null>;
  /** The tenant's entries of one kind in one language: the price list that a bare "how much is it?" asks for. */
  ofKind(tenantId: string, kind: KnowledgeEntry["kind"], language: Language): Promise<KnowledgeEntry[]>;
}
