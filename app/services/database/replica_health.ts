import type { Database } from '@adonisjs/lucid/database'
import logger from '@adonisjs/core/services/logger'
import { withTimeout } from '#helpers/timeout'

export interface ReplicaState {
  /** The Lucid connection's name (config/database.ts) */
  name: string
  /** host:port, as DB_READ_HOSTS names it */
  address: string
  /** Serving reads: reachable, replicating, and no further behind than allowed. */
  up: boolean
  /** Why not, when not up. */
  problem: string | null
}

export interface ReplicaHealthOptions {
  maxLagSeconds: number
  checkEveryMs: number
  checkTimeoutMs: number
}

/**
 * Watches each read replica's replication (SHOW REPLICA STATUS, which needs
 * the SLAVE MONITOR privilege on MariaDB or REPLICATION CLIENT on MySQL)
 * off the request path. A replica counts as up only once a check has seen
 * it replicating, and no more than `maxLagSeconds` behind: until then, and
 * while it is down or lagging, its reads go to the primary.
 */
export class ReplicaHealth {
  #states: Map<string, ReplicaState>
  /** the replica pools listened to (Lucid makes a new one after a reconnect) */
  #watched = new WeakSet<object>()

  constructor(
    private db: Database,
    replicas: { name: string; address: string }[],
    private options: ReplicaHealthOptions
  ) {
    this.#states = new Map(
      replicas.map(({ name, address }) => [
        name,
        { name, address, up: false, problem: 'not checked yet' },
      ])
    )
  }

  /** The names of the replicas that may serve reads now. */
  upNames() {
    const names: string[] = []
    for (const state of this.#states.values()) if (state.up) names.push(state.name)
    return names
  }

  states() {
    return [...this.#states.values()]
  }

  /** Checks every replica now (every `checkEveryMs`: providers/read_routing_provider.ts). */
  async check() {
    await Promise.all([...this.#states.values()].map((state) => this.#checkOne(state)))
  }

  async #checkOne(state: ReplicaState) {
    this.#set(state, await this.#problem(state.name).catch(unreachable))
    this.#watch(state)
  }

  /**
   * A connection the replica refused between two checks (it died, say)
   * skips it at once: one failed read, not one per request until the next check.
   */
  #watch(state: ReplicaState) {
    const pool = this.db.manager.get(state.name)?.connection?.pool
    if (!pool || this.#watched.has(pool)) return
    this.#watched.add(pool)
    pool.on('createFail', (_: unknown, error: NodeJS.ErrnoException) =>
      this.#set(state, unreachable(error))
    )
  }

  #set(state: ReplicaState, problem: string | null) {
    if (problem === state.problem) return
    state.problem = problem
    state.up = problem === null
    if (state.up) {
      logger.info({ replica: state.address }, 'read replica serves reads')
    } else {
      logger.warn(
        { replica: state.address, problem },
        'read replica skipped: the primary serves its reads'
      )
    }
  }

  /** What keeps the replica from serving reads, or null. */
  async #problem(name: string) {
    const [rows] = await withTimeout(
      this.db.connection(name).rawQuery('SHOW REPLICA STATUS'),
      this.options.checkTimeoutMs,
      'replica check timed out'
    )
    const status = rows[0]
    if (!status) return 'not a replica'
    // MariaDB and MySQL before 8.0.22 say Slave and Master; later MySQL says Replica and Source.
    const lag = status.Seconds_Behind_Master ?? status.Seconds_Behind_Source ?? null
    const sqlThread = status.Slave_SQL_Running ?? status.Replica_SQL_Running
    const ioThread = status.Slave_IO_Running ?? status.Replica_IO_Running
    if (sqlThread !== 'Yes') return 'replication stopped'
    // Cut off from the primary, it has nothing left to apply and may say 0 behind.
    if (ioThread !== 'Yes') return `not receiving from the primary (I/O thread: ${ioThread})`
    if (lag === null) return 'replication stopped'
    if (Number(lag) > this.options.maxLagSeconds) return 'behind by more than the allowed lag'
    return null
  }
}

function unreachable(error: NodeJS.ErrnoException) {
  return `unreachable (${error.code ?? error.message})`
}
