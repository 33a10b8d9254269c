import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import { InferConnections } from '@adonisjs/redis/types'

const sentinels = env.get('REDIS_SENTINELS')

/**
 * Where every Redis connection of the app goes (sessions, cache, bus, Bull's
 * queue and workers, transmit, the limiter): one server, or the primary
 * that the sentinels name. Through Sentinel, a connection that drops asks
 * the sentinels again, so after a failover each one reconnects to the new
 * primary without a restart (Sentinel also disconnects the clients of a
 * demoted primary).
 */
export const redisServer = {
  ...(sentinels
    ? { sentinels, name: env.get('REDIS_SENTINEL_NAME') }
    : { host: env.get('REDIS_HOST'), port: env.get('REDIS_PORT') }),
  password: env.get('REDIS_PASSWORD', ''),
  db: env.get('REDIS_DB', 0),
}

/** Reconnect every 100 ms, then slower, at most every 2 s, as long as Redis is away. */
export const retryStrategy = (times: number) => Math.min(times * 100, 2000)

const redisConfig = defineConfig({
  connection: 'main',

  connections: {
    main: {
      ...redisServer,
      keyPrefix: '',
      /*
      | Keep reconnecting (capped at 2 s) so the app recovers when Redis
      | returns, but fail a command at once while Redis is away instead of
      | queueing it: the cache falls back to MySQL, the rate limiter lets the
      | request through, and no request waits on a dead Redis.
      */
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy,
    },

    /*
    |--------------------------------------------------------------------------
    | The cache's invalidation bus
    |--------------------------------------------------------------------------
    |
    | The bus subscribes when the app boots. Unlike commands, a subscription
    | must wait for Redis rather than fail: a rejected subscribe would crash
    | a web process that starts while Redis is away.
    |
    */
    bus: {
      ...redisServer,
      keyPrefix: '',
      maxRetriesPerRequest: null,
      retryStrategy,
    },

    /*
    |--------------------------------------------------------------------------
    | Browser sessions (config/session.ts)
    |--------------------------------------------------------------------------
    |
    | A page's first request after boot must wait for the connection rather
    | than fail; a command still gets at most a second, so a dead Redis
    | gives a 503 page, never a hang.
    |
    */
    sessions: {
      ...redisServer,
      keyPrefix: '',
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
      retryStrategy,
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
