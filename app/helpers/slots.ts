/**
 * At most `size` pieces of work at once; the rest wait in memory, first
 * come first served.
 */
export class Slots {
  #running = 0
  #waiting: (() => void)[] = []

  constructor(private size: number) {}

  /** Nothing running and nothing waiting. */
  get idle() {
    return this.#running === 0
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.size) {
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
