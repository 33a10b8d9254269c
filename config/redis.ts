import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import { InferConnections } from '@adonisjs/redis/types'

const redisConfig = defineConfig({
  connection: 'main',

  connections: {
    main: {
      host: env.get('REDIS_HOST'),
      port: env.get('REDIS_PORT'),
      password: env.get('REDIS_PASSWORD', ''),
      db: env.get('REDIS_DB', 0),
      keyPrefix: '',
      /*
      | Keep reconnecting (capped at 2 s) so the app recovers when Redis
      | returns, but fail a command at once while Redis is away instead of
      | queueing it: the cache falls back to MySQL, the rate limiter lets the
      | request through, and no request waits on a dead Redis.
      */
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy(times) {
        return Math.min(times * 100, 2000)
      },
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
      host: env.get('REDIS_HOST'),
      port: env.get('REDIS_PORT'),
      password: env.get('REDIS_PASSWORD', ''),
      db: env.get('REDIS_DB', 0),
      keyPrefix: '',
      maxRetriesPerRequest: null,
      retryStrategy(times) {
        return Math.min(times * 100, 2000)
      },
    },

    /*
    |--------------------------------------------------------------------------
    | Browser sessions (config/session.ts)
    |--------------------------------------------------------------------------
    |
    | A page's first request after boot must wait for the connection rather
    | than fail; a command still gets at most 1.5 s, so a dead Redis gives
    | an error page, never a hang.
    |
    */
    sessions: {
      host: env.get('REDIS_HOST'),
      port: env.get('REDIS_PORT'),
      password: env.get('REDIS_PASSWORD', ''),
      db: env.get('REDIS_DB', 0),
      keyPrefix: '',
      commandTimeout: 1500,
      maxRetriesPerRequest: 1,
      retryStrategy(times) {
        return Math.min(times * 100, 2000)
      },
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
