import env from '#start/env'
import { defineConfig } from '@adonisjs/transmit'
import { redis } from '@adonisjs/transmit/transports'
import { redisServer, retryStrategy } from '#config/redis'

/**
 * Server-sent events. Every process (each web replica, each worker) joins one
 * Redis pub/sub channel: a broadcast from any of them reaches the replica that
 * holds the browser's stream, and a subscription made through one replica is
 * known to all.
 */
export default defineConfig({
  /*
  | A comment line every 25 s keeps idle streams open through proxies and load
  | balancers that close a silent connection after 30–60 s.
  */
  pingInterval: '25s',

  transport: {
    driver: redis({
      ...redisServer,
      // Wait for Redis rather than fail: a rejected subscribe at boot would
      // be an unhandled rejection; publishes wait in ioredis's queue.
      maxRetriesPerRequest: null,
      retryStrategy,
    }),
    // Pub/sub ignores Redis database numbers: apps sharing a Redis server
    // (or test runs on their own databases) need their own channel.
    channel: `gsocial:transmit:${env.get('REDIS_DB', 0)}`,
  },
})
