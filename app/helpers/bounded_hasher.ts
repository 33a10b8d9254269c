import type { HashDriverContract } from '@adonisjs/core/types/hash'
import { Slots } from '#helpers/slots'

/**
 * A hash driver that runs at most `slots` hashes at once and queues the
 * rest in memory, first come first served. argon2 hashes on libuv's thread
 * pool, which file, DNS and zlib work share: unbounded, a burst of sign-ins
 * takes every pool thread and every core, and requests that need neither
 * wait behind the hashes. The cost of one hash is unchanged.
 */
export class BoundedHasher implements HashDriverContract {
  #slots: Slots

  constructor(
    private driver: HashDriverContract,
    slots: number
  ) {
    this.#slots = new Slots(slots)
  }

  isValidHash(value: string) {
    return this.driver.isValidHash(value)
  }

  needsReHash(hashedValue: string) {
    return this.driver.needsReHash(hashedValue)
  }

  make(value: string) {
    return this.#slots.run(() => this.driver.make(value))
  }

  verify(hashedValue: string, plainValue: string) {
    return this.#slots.run(() => this.driver.verify(hashedValue, plainValue))
  }
}
