import { defineConfig, store, drivers } from '@adonisjs/cache'

/**
 * Public user data is read far more often than it changes. Each process
 * keeps it in memory (L1), Redis holds it for every replica (L2), and the
 * Redis bus tells the other replicas to drop their copy when it changes.
 */
const cacheConfig = defineConfig({
  default: 'default',

  /** Bounds how long a value missed by an invalidation could live. */
  ttl: '10m',

  stores: {
    default: store()
      // Kept as objects, not strings: no JSON.parse per hit. Values are
      // frozen by the code that stores them (app/services/user_directory.ts).
      .useL1Layer(drivers.memory({ maxItems: 50_000, serialize: false }))
      .useL2Layer(drivers.redis({ connectionName: 'main' }))
      .useBus(drivers.redisBus({ connectionName: 'main' })),
  },
})

export default cacheConfig

declare module '@adonisjs/cache/types' {
  interface CacheStores extends InferStores<typeof cacheConfig> {}
}
