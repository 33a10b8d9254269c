/**
 * A bounded in-process map with a time to live, for values read on every
 * request and dropped by the cache bus when they change. Cheaper than a
 * bentocache hit (no ids, events or JSON per read), and safe against the
 * refill race: a load that started before a delete never stores its answer.
 */
export class HotMap<K, V> {
  /** Every map by name, for the hit rates `npm run bench` reports. */
  static #all = new Map<string, HotMap<unknown, unknown>>()

  /** Every map of the process, for clearAll. */
  static #instances = new Set<HotMap<unknown, unknown>>()

  /**
   * Empties every map of the process: for when ids start over (a database
   * restored or truncated), which no change event announces.
   */
  static clearAll() {
    for (const map of this.#instances) map.clear()
  }

  static stats() {
    return Object.fromEntries(
      [...this.#all].map(([name, map]) => [
        name,
        { hits: map.hits, misses: map.misses, size: map.size },
      ])
    )
  }

  #entries = new Map<K, { value: V; expiresAt: number }>()
  /**
   * Refill race guard: every delete takes a new generation and notes it for
   * its key; a load keeps its answer only if its key was not deleted since
   * the load began. Deletes of many keys at once move `#floor` instead.
   */
  #generation = 0
  #floor = 0
  #deleted = new Map<K, number>()
  hits = 0
  misses = 0

  constructor(
    name: string,
    private maxEntries: number,
    private ttlMs: number
  ) {
    HotMap.#instances.add(this as HotMap<unknown, unknown>)
    // The app's own map keeps the name; tests build more of the same kind.
    if (!HotMap.#all.has(name)) HotMap.#all.set(name, this as HotMap<unknown, unknown>)
  }

  get size() {
    return this.#entries.size
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt > Date.now()) return entry.value
    this.#entries.delete(key)
    return undefined
  }

  /**
   * The value of `key`, loaded on a miss. `null` answers are not kept: a
   * missing row may appear next.
   */
  async getOrLoad(
    key: K,
    load: () => Promise<V | null>,
    /** A further say on keeping the answer, for staleness the map cannot see. */
    keep: (value: V) => boolean = () => true
  ): Promise<V | null> {
    const hit = this.get(key)
    if (hit !== undefined) {
      this.hits++
      return hit
    }
    this.misses++
    return this.load(key, load, keep)
  }

  /**
   * Loads `key` whether or not it is kept, and keeps the answer unless the
   * key was dropped while it loaded.
   */
  async load(
    key: K,
    load: () => Promise<V | null>,
    keep: (value: V) => boolean = () => true
  ): Promise<V | null> {
    const generation = this.#generation
    const value = await load()
    const deletedAt = Math.max(this.#floor, this.#deleted.get(key) ?? 0)
    if (value !== null && deletedAt <= generation && keep(value)) this.set(key, value)
    return value
  }

  set(key: K, value: V) {
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(key)) {
      // Oldest first: Map keeps insertion order.
      this.#entries.delete(this.#entries.keys().next().value!)
    }
    this.#entries.set(key, { value, expiresAt: Date.now() + this.ttlMs })
  }

  delete(key: K) {
    // Loads last milliseconds: past a bound, forgetting old notes for one
    // floor that fails every load in flight is the cheap, safe way out.
    if (this.#deleted.size >= this.maxEntries) this.#moveFloor()
    this.#deleted.set(key, ++this.#generation)
    this.#entries.delete(key)
  }

  /** Drops every entry whose value matches (loads in flight: see getOrLoad's `keep`). */
  deleteWhere(matches: (value: V) => boolean) {
    for (const [key, entry] of this.#entries) {
      if (matches(entry.value)) this.delete(key)
    }
  }

  clear() {
    this.#moveFloor()
    this.#entries.clear()
  }

  #moveFloor() {
    this.#floor = ++this.#generation
    this.#deleted.clear()
  }
}
