/**
 * Tenant configuration that every message reads (the WhatsApp number and its token, the agent
 * settings, the knowledge-base version) and that changes rarely, kept in memory for a short time so a
 * stream of messages does not pay a database round trip for each read. A write made through this
 * process drops its entry at once (and again when its transaction commits); a write made by another
 * instance is seen here after at most `ttlMs`.
 */

interface Entry {
  value: unknown;
  expiresAt: number;
}

/** A load under way, shared by the readers that miss while it runs. */
interface Loading {
  promise: Promise<unknown>;
  generation: number;
}

/** Past this many entries, expired ones are swept before the next one is added. */
const SWEEP_ABOVE = 10_000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class ConfigCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * When an entry expires, every job then in flight misses at once: at 500 messages/s, hundreds of
   * reads of the same row, each a statement of its own. They wait for one load instead.
   */
  private readonly loading = new Map<string, Loading>();
  /** Bumped by every invalidation: a load that began before one must not be kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The cached value, or what `load` returns. Values are frozen: a caller that changed one would change
   * it for every other reader. `keep: false` reads through the cache without adding to it (a
   * transaction may see uncommitted writes, which must not leak to other readers); it still takes a
   * kept entry. A reader that wrote the key itself must not ask the cache at all.
   */
  async read<T>(key: string, load: () => Promise<T>, options: { keep: boolean }): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value as T;
    // Not joined from inside a transaction: with PostgreSQL group commits the load under way may wait
    // for the group that transaction belongs to, which waits for the transaction.
    if (!options.keep || this.ttlMs <= 0) return load();
    const underway = this.loading.get(key);
    if (underway && underway.generation === this.generation) return underway.promise as Promise<T>;
    const generation = this.generation;
    const promise = load().then(
      (value) => {
        if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
        // Frozen even when not kept: the readers that joined the load share the object.
        deepFreeze(value);
        if (generation === this.generation) {
          if (this.entries.size >= SWEEP_ABOVE) this.sweep();
          this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, { promise, generation });
    return promise;
  }

  invalidate(key: string): void {
    this.generation++;
    this.entries.delete(key);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= SWEEP_ABOVE) this.entries.clear();
  }
}

export const configKeys = {
  whatsappNumber: (phoneNumberId: string) => `number:${phoneNumberId}`,
  agentSettings: (tenantId: string) => `settings:${tenantId}`,
  knowledgeVersion: (tenantId: string) => `knowledge:${tenantId}`,
};
