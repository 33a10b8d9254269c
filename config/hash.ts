import { defineConfig, drivers } from '@adonisjs/core/hash'

/**
 * argon2id at OWASP's minimum (19 MiB, 2 iterations, 1 lane). The native
 * binding hashes on libuv's thread pool, off the event loop.
 */
const hashConfig = defineConfig({
  default: 'argon',

  list: {
    argon: drivers.argon2({
      version: 0x13,
      variant: 'id',
      iterations: 2,
      memory: 19456,
      parallelism: 1,
      saltSize: 16,
      hashLength: 32,
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
