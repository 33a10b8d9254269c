import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PrivateMariaDb } from '#tests/faults/helpers/servers'
import { freePort, run } from '#tests/integration/helpers/processes'
import {
  APP_USER,
  caughtUp,
  installArgs,
  replicate,
  rootQuery,
  serverArgs,
} from '../../../benchmarks/lib/replication.js'

export { APP_USER }

/** One mariadbd with grants on, binary logging, and a server id of its own. */
class ReplicationNode extends PrivateMariaDb {
  constructor(
    name: string,
    port: number,
    dir: string,
    readonly serverId: number
  ) {
    super(name, port, dir)
  }

  static async make(name: string, serverId: number) {
    const dir = await mkdtemp(join(tmpdir(), `gsocial-scale-${name}-`))
    // Its own temporary folder: servers bootstrapping at once elsewhere clash in /tmp.
    const result = await run('mariadb-install-db', installArgs(dir), {
      env: { ...process.env, TMPDIR: dir },
    })
    if (result.code !== 0) throw new Error(`mariadb-install-db failed:\n${result.stderr}`)
    return new ReplicationNode(name, await freePort(), dir, serverId)
  }

  start() {
    return this.startProcess('mariadbd', serverArgs(this.dir, this.port, this.serverId))
  }

  /** Ends the server at once, as a crash or a pulled cable would. */
  async kill() {
    this.process?.child.kill('SIGKILL')
    await this.process?.stop()
  }

  query(sql: string, values: unknown[] = []) {
    return rootQuery(this.port, sql, values)
  }
}

/**
 * A MariaDB primary and a read-only replica replicating from it, on free
 * ports, as STACK.md's "MariaDB replica" describes. The app connects as
 * APP_USER, which read_only stops (root would write through it).
 */
export class ReplicatedMariaDb {
  private constructor(
    readonly primary: ReplicationNode,
    readonly replica: ReplicationNode
  ) {}

  static async start(database: string) {
    const [primary, replica] = await Promise.all([
      ReplicationNode.make('primary', 1),
      ReplicationNode.make('replica', 2),
    ])
    const servers = new ReplicatedMariaDb(primary, replica)
    try {
      await Promise.all([primary.start(), replica.start()])
      await replicate(primary, replica, database)
    } catch (error) {
      await servers.destroy()
      throw error
    }
    return servers
  }

  /** Waits until the replica has applied everything the primary has written so far. */
  caughtUp(timeoutMs = 30_000) {
    return caughtUp(this.primary, this.replica, timeoutMs)
  }

  /**
   * The replica goes on receiving, and applies each change only this many
   * seconds after it happened: reads there are that old, while the
   * replica reports itself running (a lag the app tolerates below DB_MAX_LAG_S).
   */
  async delay(seconds: number) {
    await this.replica.query('STOP SLAVE')
    await this.replica.query('CHANGE MASTER TO MASTER_DELAY = ?', [seconds])
    await this.replica.query('START SLAVE')
  }

  replicaStatus() {
    return this.replica.query('SHOW REPLICA STATUS').then((rows: any[]) => rows[0])
  }

  async destroy() {
    await Promise.allSettled([this.primary.destroy(), this.replica.destroy()])
  }
}
