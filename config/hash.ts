import { availableParallelism } from 'node:os'
import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/hash'
import type { ArgonConfig } from '@adonisjs/core/types/hash'
import { BoundedHasher } from '#helpers/bounded_hasher'

/** argon2id at OWASP's minimum (19 MiB, 2 iterations, 1 lane). */
const argon: ArgonConfig = {
  version: 0x13,
  variant: 'id',
  iterations: 2,
  memory: 19456,
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
