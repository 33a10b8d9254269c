/**
 * A pass that runs now and then every `everySeconds` in the worker (the
 * outbox sweeps), never two at once; stop() waits for the pass under way.
 */
export abstract class PeriodicSweep {
  #timer?: NodeJS.Timeout
  #running?: Promise<number>

  /** One pass; returns how much it queued again. Must not throw. */
  protected abstract pass(everySeconds: number): Promise<number>

  start(everySeconds: number) {
    this.#timer = setInterval(() => void this.sweep(everySeconds), everySeconds * 1000)
    void this.sweep(everySeconds)
  }

  async stop() {
    clearInterval(this.#timer)
    await this.#running
  }

  sweep(everySeconds: number) {
    this.#running ??= this.pass(everySeconds).finally(() => (this.#running = undefined))
    return this.#running
  }
}
