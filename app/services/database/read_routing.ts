import { AsyncLocalStorage } from 'node:async_hooks'
import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import type { ConnectionContract as Connection } from '@adonisjs/lucid/types/database'
import { withTimeout } from '#helpers/timeout'
import type { Database } from '@adonisjs/lucid/database'
import { ReplicaHealth, type ReplicaHealthOptions } from '#services/database/replica_health'

/** A request's routing. */
interface Scope {
  /** its reads go to the primary */
  primary: boolean
  /** the person the request acts for, once known */
  personId?: number
}

/** Where the read-your-writes marks live: Redis, which every app replica reads. */
type Marks = Pick<typeof redis, 'set' | 'exists'>

/** No request waits longer than this on Redis for a stickiness mark. */
const REDIS_WAIT_MS = 250

/**
 * Which server a read goes to, when DB_READ_HOSTS names replicas. Lucid
 * sends a read to its connection's `readClient`; here that is a healthy
 * replica (in turn), or the primary when the request must read there (it
 * writes, or its person wrote within DB_STICKY_MS: Rails' DatabaseSelector,
 * with the mark in Redis so every app replica sees it) or when no replica
 * is healthy. One per process (providers/read_routing_provider.ts), which
 * only the web server installs: the worker and commands read the primary.
 */
export class ReadRouting {
  #scope = new AsyncLocalStorage<Scope>()
  #turn = 0
  readonly health: ReplicaHealth

  constructor(
    private db: Database,
    replicas: { name: string; address: string }[],
    private options: ReplicaHealthOptions & { stickyMs: number },
    private marks: Marks = redis
  ) {
    this.health = new ReplicaHealth(db, replicas, options)
  }

  /** Whether there are replicas to route to at all. */
  get enabled() {
    return this.health.states().length > 0
  }

  /**
   * Makes `connection` (the primary's) send its reads where this decides.
   * Lucid has no hook for it: a read asks the connection for `readClient`
   * (with no replicas configured in Lucid, its own primary client).
   */
  install(connection: Connection) {
    Object.defineProperty(connection, 'readClient', {
      configurable: true,
      get: () => this.#readClient(connection),
      // Lucid sets and clears its own; there is none: the replicas are connections of their own.
      set: () => {},
    })
  }

  /**
   * Runs a request's work. A request that `writes` reads the primary (its
   * reads decide its writes), and marks the person it acted for.
   */
  async request<T>(writes: boolean, work: () => Promise<T>) {
    const scope: Scope = { primary: writes }
    try {
      return await this.#scope.run(scope, work)
    } finally {
      if (writes && scope.personId !== undefined) await this.wrote(scope.personId)
    }
  }

  /**
   * The request acts for this person (signed in, signing in, registered):
   * if they wrote within DB_STICKY_MS, their reads go to the primary.
   */
  async actingFor(userId: number) {
    const scope = this.#scope.getStore()
    if (!scope || !this.enabled) return
    scope.personId = userId
    if (!scope.primary) scope.primary = await this.#wroteRecently(userId)
  }

  /** After a person writes: their reads go to the primary for DB_STICKY_MS, on every app replica. */
  async wrote(userId: number) {
    if (!this.enabled) return
    await withTimeout(
      this.marks.set(stickyKey(userId), '1', 'PX', this.options.stickyMs),
      REDIS_WAIT_MS,
      'Redis did not answer'
    ).catch((error) =>
      logger.warn({ err: error, userId }, 'read-your-writes mark not stored; reads may lag')
    )
  }

  async #wroteRecently(userId: number) {
    try {
      const found = await withTimeout(
        this.marks.exists(stickyKey(userId)),
        REDIS_WAIT_MS,
        'Redis did not answer'
      )
      return found === 1
    } catch {
      // Not knowing whether they wrote: the primary is the answer that never shows old data.
      return true
    }
  }

  #readClient(connection: Connection) {
    // Outside a request (a timer, a bus message, Lucid's own bookkeeping) nothing
    // vouches that a lagging copy is good enough: the primary answers.
    const scope = this.#scope.getStore()
    if (!scope || scope.primary) return connection.client!
    const up = this.health.upNames()
    if (!up.length) return connection.client!
    return this.db.connection(up[this.#turn++ % up.length]).getWriteClient()
  }
}

function stickyKey(userId: number) {
  return `db:wrote:${userId}`
}
