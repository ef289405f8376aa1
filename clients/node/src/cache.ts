/**
 * A bounded LRU of consent decisions with a hard TTL and single-flight loads. An entry is never
 * served after its TTL, whatever happens to the service; errors are never cached.
 */
export interface DecisionCacheOptions {
  /** Time to live of an answer, in ms (0 disables caching; single-flight still applies). */
  ttlMs: number;
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

interface Entry<V> {
  subject: string;
  value: V;
  expiresAt: number;
}

export class DecisionCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inflight = new Map<string, Promise<V>>();
  /** Bumped when a subject is evicted, so a load that started before does not store a stale answer. */
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(private readonly options: DecisionCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer for `key`, or a shared load of it. */
  async get(key: string, subject: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry) {
      if (entry.expiresAt > this.now()) {
        this.entries.delete(key);
        this.entries.set(key, entry);
        this.hits++;
        return entry.value;
      }
      this.entries.delete(key);
    }
    this.misses++;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const generation = this.generation(subject);
    const epoch = this.epoch;
    let promise: Promise<V> | undefined = undefined;
    promise = (async () => {
      try {
        const value = await load();
        if (this.options.ttlMs > 0 && generation === this.generation(subject) && epoch === this.epoch) {
          this.store(key, subject, value);
        }
        return value;
      } finally {
        if (this.inflight.get(key) === promise) this.inflight.delete(key);
      }
    })();
    this.inflight.set(key, promise);
    return promise;
  }

  private store(key: string, subject: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { subject, value, expiresAt: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  private generation(subject: string): number {
    return this.generations.get(subject) ?? 0;
  }

  /** Forgets every answer about `subject` (and ignores loads of it already in flight). */
  evictSubject(subject: string): void {
    this.generations.set(subject, this.generation(subject) + 1);
    if (this.generations.size > this.options.maxEntries * 2) this.generations.clear(), this.epoch++;
    for (const [key, entry] of this.entries) {
      if (entry.subject === subject) this.entries.delete(key);
    }
    for (const key of this.inflight.keys()) {
      if (key.startsWith(`${JSON.stringify(subject)}|`)) this.inflight.delete(key);
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.inflight.clear();
  }
}
