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
| Read replicas (DB_READ_HOSTS="host:port,host:port"): Lucid sends SELECTs
| outside a transaction to them in turn, everything else to DB_HOST. What
| fills a cache or checks a credential reads the primary instead
| (`db.query({ mode: 'write' })`): a replica that lags would put an old row
| in a cache, or bring back a revoked token.
*/
export function readReplicas(hosts: string | undefined) {
  const read = (hosts ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [host, port] = entry.split(':')
      return { host, port: port ? Number(port) : connection.port }
    })
  if (!read.length) return undefined
  return {
    write: { connection: { host: connection.host, port: connection.port } },
    read: { connection: read },
  }
}

const dbConfig = defineConfig({
  connection: 'mysql',
  connections: {
    mysql: {
      client: 'mysql2',
      connection,
      replicas: readReplicas(env.get('DB_READ_HOSTS')),
      pool: {
        min: 0,
        max: 10,
        acquireTimeoutMillis: 1800,
        // Timestamps are UTC end to end, whatever the server's own zone.
        afterCreate: (conn: any, done: (error: Error | null, conn: any) => void) => {
          conn.query("SET time_zone = '+00:00'", (error: Error | null) => done(error, conn))
        },
      },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
    },
  },
})

export default dbConfig
