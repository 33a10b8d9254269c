import type { HashDriverContract } from '@adonisjs/core/types/hash'

/**
 * A hash driver that runs at most `slots` hashes at once and queues the
 * rest in memory, first come first served. argon2 hashes on libuv's thread
 * pool, which file, DNS and zlib work share: unbounded, a burst of sign-ins
 * takes every pool thread and every core, and requests that need neither
 * wait behind the hashes. The cost of one hash is unchanged.
 */
export class BoundedHasher implements HashDriverContract {
  #running = 0
  #waiting: (() => void)[] = []

  constructor(
    private driver: HashDriverContract,
    private slots: number
  ) {}

  isValidHash(value: string) {
    return this.driver.isValidHash(value)
  }

  needsReHash(hashedValue: string) {
    return this.driver.needsReHash(hashedValue)
  }

  make(value: string) {
    return this.#bounded(() => this.driver.make(value))
  }

  verify(hashedValue: string, plainValue: string) {
    return this.#bounded(() => this.driver.verify(hashedValue, plainValue))
  }

  async #bounded<T>(work: () => Promise<T>) {
    if (this.#running >= this.slots) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    } else {
      this.#running++
    }
    try {
      return await work()
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = this.#waiting.shift()
      if (next) next()
      else this.#running--
    }
  }
}
