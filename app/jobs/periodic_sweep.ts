import type { Logger } from '@adonisjs/core/logger'

/**
 * A pass that runs now and then every `everySeconds` in the worker (the
 * outbox sweeps), never two at once; stop() waits for the pass under way.
 * A pass that fails is logged and counts nothing: the next one retries.
 */
export abstract class PeriodicSweep {
  #timer?: NodeJS.Timeout
  #running?: Promise<number>

  /** For the log lines: which sweep, and what it queues again. */
  protected abstract what: { sweep: string; items: string }
  protected abstract logger: Logger

  /** One pass; returns how much it queued again. */
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
    this.#running ??= this.#logged(everySeconds).finally(() => (this.#running = undefined))
    return this.#running
  }

  async #logged(everySeconds: number) {
    const { sweep, items } = this.what
    try {
      const queued = await this.pass(everySeconds)
      if (queued) this.logger.info({ count: queued }, `${sweep} sweep queued ${items} again`)
      return queued
    } catch (error) {
      this.logger.warn({ err: error }, `${sweep} sweep failed; next pass retries`)
      return 0
    }
  }
}
