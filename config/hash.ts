import { availableParallelism } from 'node:os'
import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/hash'
import type { ArgonConfig } from '@adonisjs/core/types/hash'
import { BoundedHasher } from '#helpers/bounded_hasher'

/**
 * argon2id at one of OWASP's minimum settings: 9 MiB, 4 iterations, 1 lane.
 * OWASP lists it beside 19 MiB with 2 iterations as the same defence, traded
 * between memory and CPU; here it hashes faster (52-60 against 42-46 hashes
 * a second on one thread, BENCHMARKS.md) and holds 10 MB less per hash
 * while a web process signs people in. Hashes made with the earlier
 * setting (19 MiB, t=2) carry their parameters and still verify.
 */
const argon: ArgonConfig = {
  version: 0x13,
  variant: 'id',
  iterations: 4,
  memory: 9216,
  parallelism: 1,
  saltSize: 16,
  hashLength: 32,
}

/**
 * Hashes at once per process: one core is always left to the event loop
 * (reads keep answering beside a burst of sign-ins), the rest hash. The
 * native binding hashes on libuv's thread pool, off the event loop.
 */
export const HASH_SLOTS = Math.max(1, availableParallelism() - 1)

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
