/*
|--------------------------------------------------------------------------
| Redis connection errors
|--------------------------------------------------------------------------
|
| ioredis retries every few hundred milliseconds while Redis is away; the
| package would log each failure as FATAL. We log a warning when a
| connection breaks and a line when it is back. On shutdown, a connection
| that is not up is dropped rather than asked to QUIT, which it cannot send:
| the failed QUIT would abort the rest of the shutdown and leave the process
| hanging.
|
*/
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import type { Connection } from '@adonisjs/redis/types'

redis.doNotLogErrors()

function watch(connection: Connection) {
  let broken = false
  const report = ({ error }: { error: Error }) => {
    if (broken) return
    broken = true
    logger.warn(
      { err: error, connection: connection.connectionName },
      'Redis unreachable; retrying'
    )
  }
  connection.on('error', report)
  connection.on('subscriber:error', report)
  connection.on('ready', () => {
    if (broken) logger.info({ connection: connection.connectionName }, 'Redis connection back')
    broken = false
  })
}

Object.values(redis.activeConnections).forEach((connection) => watch(connection as Connection))
redis.on('connection', watch)

app.terminating(async () => {
  for (const [name, connection] of Object.entries(redis.activeConnections)) {
    if (connection?.status === 'ready') continue
    await connection?.disconnect()
    // Forgotten at once, so the provider's QUIT skips it.
    delete redis.activeConnections[name as keyof typeof redis.activeConnections]
  }
})
