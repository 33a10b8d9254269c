/*
| A MariaDB primary and a read-only replica, the pieces that both the scale
| tests (tests/scale/helpers/replicated_mariadb.ts) and `npm run bench
| --replica` (lib/replica.js) use: the server flags, the users and the
| replication set-up, and the wait for the replica to catch up. A node is
| { port, query(sql, values) }.
*/
import { join } from 'node:path'
import mysql from 'mysql2/promise'

/** The app's database user: every right on its database, and none of SUPER or READ ONLY ADMIN. */
export const APP_USER = { user: 'gsocial_app', password: 'app password' }
const REPLICATION_USER = { user: 'gsocial_repl', password: 'repl password' }

/** mariadb-install-db's arguments: grants on, root without a password from loopback. */
export const installArgs = (dir) => [
  '--no-defaults',
  `--datadir=${join(dir, 'data')}`,
  '--user=root',
  '--auth-root-authentication-method=normal',
  '--skip-test-db',
]

/** mariadbd's arguments for node `serverId` (1 is the primary; any other is a read-only replica). */
export const serverArgs = (dir, port, serverId) => [
  '--no-defaults',
  `--datadir=${join(dir, 'data')}`,
  `--port=${port}`,
  '--bind-address=127.0.0.1',
  `--socket=${join(dir, 'mysqld.sock')}`,
  `--pid-file=${join(dir, 'mysqld.pid')}`,
  `--tmpdir=${dir}`,
  '--user=root',
  '--innodb-buffer-pool-size=64M',
  `--server-id=${serverId}`,
  '--log-bin=binlog',
  ...(serverId === 1 ? [] : ['--read-only=1', '--relay-log=relay']),
]

/** One statement as root on the server at `port`; its rows. */
export async function rootQuery(port, sql, values = []) {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' })
  try {
    const [rows] = await connection.query(sql, values)
    return rows
  } finally {
    await connection.end()
  }
}

/**
 * Creates the users and `database` on the primary and starts the replica
 * replicating from it (all of it, since the primary is fresh); returns once
 * the replica has caught up.
 */
export async function replicate(primary, replica, database) {
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
  await caughtUp(primary, replica)
}

/** Waits until the replica has applied everything the primary has written so far. */
export async function caughtUp(primary, replica, timeoutMs = 30_000) {
  const [{ pos }] = await primary.query('SELECT @@gtid_binlog_pos AS pos')
  const [{ done }] = await replica.query('SELECT MASTER_GTID_WAIT(?, ?) AS done', [
    pos,
    timeoutMs / 1000,
  ])
  if (done !== 0) throw new Error(`the replica did not reach ${pos}`)
}
