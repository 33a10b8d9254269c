import app from '@adonisjs/core/services/app'
import { defineConfig, store, drivers } from '@adonisjs/cache'

/**
 * Public user data is read far more often than it changes. Each process
 * keeps it in memory (L1), Redis holds it for every replica (L2), and the
 * Redis bus tells the other replicas to drop their copy when it changes.
 */
const userData = store()
  // Serialized (the default): bentocache 1.6 crashes reading an L1 entry
  // backfilled from Redis when the memory layer keeps plain objects.
  .useL1Layer(drivers.memory({ maxItems: 50_000, maxSize: '32mb' }))
  .useL2Layer(drivers.redis({ connectionName: 'main' }))

/*
| Only web servers serve cached copies, so only they join the bus. An ace
| command or the worker would otherwise hold a subscription that keeps it
| from exiting while Redis is away. No command changes an existing user; one
| that did would have to join the bus too.
*/
if (['web', 'test'].includes(app.getEnvironment())) {
  userData.useBus(drivers.redisBus({ connectionName: 'bus' }))
}

const cacheConfig = defineConfig({
  default: 'default',

  /** Bounds how long a value missed by an invalidation could live. */
  ttl: '10m',

  stores: {
    default: userData,
  },
})

export default cacheConfig

declare module '@adonisjs/cache/types' {
  interface CacheStores extends InferStores<typeof cacheConfig> {}
}
