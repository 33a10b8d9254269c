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

const dbConfig = defineConfig({
  connection: 'mysql',
  connections: {
    mysql: {
      client: 'mysql2',
      connection,
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
