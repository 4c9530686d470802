/**
 * A small bounded map with optional per-entry expiry, for metadata the cloud backends would
 * otherwise fetch before every operation (key type, alias → key id, latest version). Bounded
 * so a process touching many keys cannot grow it forever: when full, the least recently used
 * entry goes (a Map keeps insertion order; a hit re-inserts the entry at the end).
 *
 * Concurrent misses for one key share one load (`getOrLoad`), so a burst of first signs sends
 * one metadata request, not one per caller. Failed loads are not cached.
 *
 * @module
 */

/** Bound of every backend metadata cache (entries). */
export const METADATA_CACHE_ENTRIES = 1000;

/**
 * How long a name → current key/version answer (AWS alias target, Azure latest version, GCP
 * current version) is trusted: another process may move it. Changes a backend makes itself
 * invalidate at once.
 */
export const NAME_RESOLUTION_TTL_MS = 30_000;

export interface TtlCacheOptions {
  /** Most entries kept; the least recently used one is evicted beyond it. */
  readonly maxEntries: number;
  /** Lifetime of an entry in ms; undefined = until evicted or invalidated. */
  readonly ttlMs?: number | undefined;
  /** Clock (ms), replaceable in tests. */
  readonly now?: (() => number) | undefined;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The live value for `key`, or undefined (expired entries are dropped on the way). */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: the Map's order is the recency order eviction relies on.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const ttl = this.options.ttlMs;
    const expiresAt = ttl === undefined ? Number.POSITIVE_INFINITY : this.now() + ttl;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  /**
   * The cached value, else `load()`'s result (cached on success). Callers missing at the same
   * time share one load. An invalidation during a load keeps that load's result out of the
   * cache, so a stale answer cannot outlive the change that invalidated it.
   */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = this.loading.get(key);
    if (pending !== undefined) return await pending;
    const started = load().then(
      (value) => {
        if (this.loading.get(key) === started) {
          this.loading.delete(key);
          this.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === started) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, started);
    return await started;
  }

  delete(key: K): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /**
   * Drops every entry whose key or value matches (e.g. all aliases of one key id). Loads in
   * flight cannot be matched by value, so all of them are kept out of the cache: they may have
   * read what this invalidation is about.
   */
  deleteWhere(match: (key: K, value: V) => boolean): void {
    for (const [key, entry] of this.entries) {
      if (match(key, entry.value)) this.entries.delete(key);
    }
    this.loading.clear();
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }
}
