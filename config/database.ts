import env from '#start/env'
import { defineConfig } from '@adonisjs/lucid'

/*
| Knex hands these to mysql2 as they are (the typings list fewer options).
| connectTimeout and the pool's acquire timeout make requests fail fast
| while MySQL is unreachable: a 503 in under 2 s, not a hang.
*/
const connection = {
  host: env.get('DB_HOST'),
  port: env.get('DB_PORT'),
  user: env.get('DB_USER'),
  password: env.get('DB_PASSWORD', ''),
  database: env.get('DB_DATABASE'),
  charset: 'utf8mb4',
  timezone: 'Z',
  connectTimeout: 1500,
}

/*
| Read replicas (DB_READ_HOSTS="host:port,host:port"): each is a connection
| of its own (`mysql_replica_1`, …), which app/services/database/read_routing.ts
| sends reads to while the replica is healthy. Writes, and reads that
| decide a write, always go to `mysql`, the primary.
*/
export function readReplicas(hosts: string | undefined) {
  return (hosts ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [host, port] = entry.split(':')
      return { host, port: port ? Number(port) : connection.port }
    })
}

const replicas = readReplicas(env.get('DB_READ_HOSTS'))

/** The replicas' connections, in DB_READ_HOSTS order. */
export const replicaConnections = replicas.map(({ host, port }, index) => ({
  name: `mysql_replica_${index + 1}`,
  address: `${host}:${port}`,
}))

/*
| Where reads go (app/services/database/read_routing.ts): after a person writes,
| their reads use the primary for `stickyMs`; a replica that is down or
| further behind than `maxLagSeconds` gets no reads. Each replica's lag is
| checked every `checkEveryMs`, each check given `checkTimeoutMs`.
*/
const maxLagSeconds = env.get('DB_MAX_LAG_S', 5)
export const readRouting = {
  // Never shorter than the lag a replica may have and still serve: the write must reach it first.
  stickyMs: Math.max(env.get('DB_STICKY_MS', 2000), maxLagSeconds * 1000),
  maxLagSeconds,
  checkEveryMs: 1000,
  checkTimeoutMs: 1000,
}

const pool = {
  min: 0,
  max: 10,
  acquireTimeoutMillis: 1800,
  // Timestamps are UTC end to end, whatever the server's own zone.
  afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
    conn.query("SET time_zone = '+00:00'", (error: Error | null) => done(error, conn))
  },
}

const dbConfig = defineConfig({
  connection: 'mysql',
  connections: {
    mysql: {
      client: 'mysql2',
      connection,
      pool,
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
    },
    ...Object.fromEntries(
      replicas.map((replica, index) => [
        replicaConnections[index].name,
        { client: 'mysql2' as const, connection: { ...connection, ...replica }, pool },
      ])
    ),
  },
})

export default dbConfig
