import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { PrivateMariaDb } from '#tests/faults/helpers/servers'
import { freePort, run } from '#tests/integration/helpers/processes'

/** The app's database user: every right on its database, and none of SUPER or READ ONLY ADMIN. */
export const APP_USER = { user: 'gsocial_app', password: 'app password' }
const REPLICATION_USER = { user: 'gsocial_repl', password: 'repl password' }

/**
 * One mariadbd with grants on (root connects without a password from
 * loopback), binary logging, and a server id of its own.
 */
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
    const result = await run(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        '--user=root',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { env: { ...process.env, TMPDIR: dir } }
    )
    if (result.code !== 0) throw new Error(`mariadb-install-db failed:\n${result.stderr}`)
    return new ReplicationNode(name, await freePort(), dir, serverId)
  }

  start() {
    return this.startProcess('mariadbd', [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.dir, 'mysqld.sock')}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      `--tmpdir=${this.dir}`,
      '--user=root',
      '--innodb-buffer-pool-size=64M',
      `--server-id=${this.serverId}`,
      '--log-bin=binlog',
      ...(this.serverId === 1 ? [] : ['--read-only=1', '--relay-log=relay']),
    ])
  }

  /** Ends the server at once, as a crash or a pulled cable would. */
  async kill() {
    this.process?.child.kill('SIGKILL')
    await this.process?.stop()
  }

  async query(sql: string, values: unknown[] = []) {
    const connection = await mysql.createConnection({
      host: '127.0.0.1',
      port: this.port,
      user: 'root',
      multipleStatements: false,
    })
    try {
      const [rows] = await connection.query(sql, values)
      return rows as any
    } finally {
      await connection.end()
    }
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
      await servers.#replicate(database)
    } catch (error) {
      await servers.destroy()
      throw error
    }
    return servers
  }

  async #replicate(database: string) {
    const { primary, replica } = this
    // Created on the primary, before the replica starts: all of it replicates.
    await primary.query('CREATE USER ?@? IDENTIFIED BY ?', [
      REPLICATION_USER.user,
      '%',
      REPLICATION_USER.password,
    ])
    await primary.query('GRANT REPLICATION SLAVE ON *.* TO ?@?', [REPLICATION_USER.user, '%'])
    await primary.query('CREATE USER ?@? IDENTIFIED BY ?', [APP_USER.user, '%', APP_USER.password])
    await primary.query(`CREATE DATABASE \`${database}\``)
    await primary.query(`GRANT ALL ON \`${database}\`.* TO ?@?`, [APP_USER.user, '%'])
    // What the app needs to read a replica's lag (SHOW REPLICA STATUS).
    await primary.query('GRANT SLAVE MONITOR ON *.* TO ?@?', [APP_USER.user, '%'])

    await replica.query(
      `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ?, MASTER_USER = ?,
         MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      [primary.port, REPLICATION_USER.user, REPLICATION_USER.password]
    )
    await replica.query('START SLAVE')
    await this.caughtUp()
  }

  /** Waits until the replica has applied everything the primary has written so far. */
  async caughtUp(timeoutMs = 30_000) {
    const [{ pos }] = await this.primary.query('SELECT @@gtid_binlog_pos AS pos')
    const [{ done }] = await this.replica.query('SELECT MASTER_GTID_WAIT(?, ?) AS done', [
      pos,
      timeoutMs / 1000,
    ])
    if (done !== 0) throw new Error(`the replica did not reach ${pos}`)
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
