import { availableParallelism } from 'node:os'
import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/hash'
import type { ArgonConfig } from '@adonisjs/core/types/hash'
import { BoundedHasher } from '#helpers/bounded_hasher'

/**
 * argon2id at one of OWASP's minimum settings: 7 MiB, 5 iterations, 1 lane.
 * OWASP lists it beside 19 MiB with 2 iterations and 9 MiB with 4 as the
 * same defence, traded between memory and CPU; here it hashes fastest (15.0
 * ms a hash on one thread, against 15.8 with 9 MiB and 18.6 with 19 MiB,
 * BENCHMARKS.md step 55) and holds the least while a web process signs
 * people in, one hash per core. Hashes made with the earlier settings
 * (19 MiB, t=2; 9 MiB, t=4) carry their parameters and still verify.
 */
const argon: ArgonConfig = {
  version: 0x13,
  variant: 'id',
  iterations: 5,
  memory: 7168,
  parallelism: 1,
  saltSize: 16,
  hashLength: 32,
}

/**
 * Hashes at once per process: one per core, leaving one thread of libuv's
 * pool (where the native binding hashes, off the event loop) to the file
 * and DNS work that shares it; the rest wait their turn in memory
 * (BoundedHasher). Leaving a core to the event loop instead (one slot on
 * two cores) kept the reads beside registrations at p99 19 ms but capped
 * them at 40 registrations and 53 sign-ins a second; a slot per core gave
 * 51-57 and 80-98, the reads beside them p99 23-31 ms (BENCHMARKS.md, step
 * 55). The image sets the pool to the CPUs plus one (Dockerfile).
 */
export const HASH_SLOTS = Math.max(
  1,
  Math.min(availableParallelism(), Number(process.env.UV_THREADPOOL_SIZE ?? 4) - 1)
)

const hashConfig = defineConfig({
  default: 'argon',

  list: {
    argon: configProvider.create(async () => {
      const { Argon } = await import('@adonisjs/core/hash/drivers/argon')
      return () => new BoundedHasher(new Argon(argon), HASH_SLOTS)
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
