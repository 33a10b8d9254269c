import { LRUCache } from 'lru-cache'

/** Loads the values of several keys at once; keys without a row are absent from the map. */
export type LoadMany<K, V> = (keys: K[]) => Promise<Map<K, V>>

/** The callers waiting for one key of a batch (getOrLoadBatched). */
type Waiters<V> = { resolve: (value: V | null) => void; reject: (error: unknown) => void }[]

/** How a store is declared: once, in app/cache/stores.ts. */
export interface StoreDeclaration<K, V> {
  name: string
  /** The most memory its entries may take, as sizeOf counts it. */
  maxBytes: number
  ttlMs: number
  /** The entry's size in bytes, near enough to bound the store. */
  sizeOf: (value: V, key: K) => number
  /** A second handle to drop entries by (the user a token belongs to). */
  tagOf?: (value: V) => number
  /**
   * Every use checks an entry against the database before trusting it (a
   * version read with it), so no invalidation is needed: kept even by
   * processes off the invalidation bus.
   */
  checkedOnUse?: boolean
}

/**
 * A process-local store on lru-cache, bounded in bytes, that is safe
 * against the refill race: a load that began before a delete of its key
 * (or of its tag, or of everything) answers but does not keep its value.
 * Stores are dropped by CacheInvalidation only.
 */
export class LocalStore<K extends {}, V extends {}> {
  readonly name: string
  readonly maxBytes: number
  #lru: LRUCache<K, V>
  #generation = 0
  #floor = 0
  #deleted = new Map<K, number>()
  #tagDeleted = new Map<number, number>()
  /** The misses waiting for the next batch of each loader (getOrLoadBatched). */
  #batches = new Map<LoadMany<K, V>, Map<K, Waiters<V>>>()
  hits = 0
  misses = 0
  /**
   * False in a process that does not hear invalidations (the worker, the
   * commands): every read loads, nothing is kept that a change could not drop.
   */
  keep = true
  readonly checkedOnUse: boolean

  constructor(private declaration: StoreDeclaration<K, V>) {
    this.name = declaration.name
    this.checkedOnUse = declaration.checkedOnUse ?? false
    this.maxBytes = declaration.maxBytes
    this.#lru = new LRUCache<K, V>({
      maxSize: declaration.maxBytes,
      sizeCalculation: (value, key) => Math.max(1, declaration.sizeOf(value, key)),
      ttl: declaration.ttlMs,
      // Expiry checked on read: no timer per entry.
      ttlAutopurge: false,
    })
  }

  get size() {
    return this.#lru.size
  }

  get bytes() {
    return this.#lru.calculatedSize
  }

  get(key: K): V | undefined {
    return this.#lru.get(key)
  }

  /** The value of `key`, loaded on a miss. `null` answers are not kept: a missing row may appear next. */
  async getOrLoad(key: K, load: () => Promise<V | null>): Promise<V | null> {
    const hit = this.#lru.get(key)
    if (hit !== undefined) {
      this.hits++
      return hit
    }
    this.misses++
    return this.load(key, load)
  }

  /**
   * The value of `key`; a miss waits for the rest of this turn of the event
   * loop and is loaded with the other misses of the turn by one `loadMany`:
   * requests that arrive together and miss share one query instead of
   * making one each. Misses share a batch when they pass the same function
   * (a method bound once). Kept as `load` keeps.
   */
  getOrLoadBatched(key: K, loadMany: LoadMany<K, V>): Promise<V | null> {
    const hit = this.#lru.get(key)
    if (hit !== undefined) {
      this.hits++
      return Promise.resolve(hit)
    }
    this.misses++
    let batch = this.#batches.get(loadMany)
    if (!batch) {
      this.#batches.set(loadMany, (batch = new Map()))
      setImmediate(() => this.#loadBatch(loadMany))
    }
    let waiters = batch.get(key)
    if (!waiters) batch.set(key, (waiters = []))
    const waiting = waiters
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
  }

  async #loadBatch(loadMany: LoadMany<K, V>) {
    const batch = this.#batches.get(loadMany)!
    this.#batches.delete(loadMany)
    const started = this.#generation
    let found: Map<K, V>
    try {
      found = await loadMany([...batch.keys()])
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error)
      return
    }
    for (const [key, waiters] of batch) {
      const value = found.get(key) ?? null
      try {
        if (value !== null) this.#keepUnlessDropped(key, value, started)
      } catch (error) {
        // As getOrLoad would: the callers of this key get the error, the others their values.
        for (const waiter of waiters) waiter.reject(error)
        continue
      }
      for (const waiter of waiters) waiter.resolve(value)
    }
  }

  /** Loads `key` whether or not it is kept, and keeps the answer unless it was dropped meanwhile. */
  async load(key: K, load: () => Promise<V | null>): Promise<V | null> {
    const started = this.#generation
    const value = await load()
    if (value !== null) this.#keepUnlessDropped(key, value, started)
    return value
  }

  /**
   * The values of `keys` that exist, those not kept loaded together (one
   * query for a page's authors instead of one each); kept as `load` keeps.
   */
  async getOrLoadMany(keys: K[], loadMany: LoadMany<K, V>): Promise<Map<K, V>> {
    const found = new Map<K, V>()
    const missing: K[] = []
    for (const key of new Set(keys)) {
      const hit = this.#lru.get(key)
      if (hit === undefined) missing.push(key)
      else found.set(key, hit)
    }
    this.hits += found.size
    this.misses += missing.length
    if (!missing.length) return found
    const started = this.#generation
    for (const [key, value] of await loadMany(missing)) {
      this.#keepUnlessDropped(key, value, started)
      found.set(key, value)
    }
    return found
  }

  set(key: K, value: V) {
    if (this.keep) this.#lru.set(key, value)
  }

  delete(key: K) {
    this.#note(this.#deleted, key)
    this.#lru.delete(key)
  }

  /** Drops every entry with tag `tag` (see StoreDeclaration.tagOf). */
  deleteTag(tag: number) {
    const tagOf = this.declaration.tagOf!
    this.#note(this.#tagDeleted, tag)
    for (const [key, value] of this.#lru.entries()) {
      if (tagOf(value) === tag) this.#lru.delete(key)
    }
  }

  clear() {
    this.#floor = ++this.#generation
    this.#deleted.clear()
    this.#tagDeleted.clear()
    this.#lru.clear()
  }

  stats() {
    return { hits: this.hits, misses: this.misses, size: this.size, bytes: this.bytes }
  }

  /** Keeps a value loaded since generation `started`, unless its key or tag was dropped meanwhile. */
  #keepUnlessDropped(key: K, value: V, started: number) {
    if (this.#droppedAt(key, value) <= started) this.set(key, value)
  }

  #droppedAt(key: K, value: V) {
    const tag = this.declaration.tagOf?.(value)
    return Math.max(
      this.#floor,
      this.#deleted.get(key) ?? 0,
      tag === undefined ? 0 : (this.#tagDeleted.get(tag) ?? 0)
    )
  }

  /**
   * Notes the delete for loads in flight. Loads last milliseconds: past a
   * bound, one floor that fails every load in flight replaces the notes.
   */
  #note<T>(notes: Map<T, number>, what: T) {
    if (notes.size >= 10_000) {
      this.#floor = this.#generation + 1
      this.#deleted.clear()
      this.#tagDeleted.clear()
    }
    notes.set(what, ++this.#generation)
  }
}
