import type { Logger } from '@adonisjs/core/logger'
import { WelcomeOutbox } from '#services/welcome_outbox'
import { FanOutOutbox } from '#services/fan_out_outbox'

export interface OutboxSweeperOptions {
  /** Seconds between sweeps; also how long an intent may wait unsent. */
  everySeconds: number
  logger: Logger
}

/**
 * Re-dispatches welcome intents that never reached the queue (Redis was
 * down at commit, a job was lost) or whose worker died mid-send, and post
 * fan-outs still owed (app/services/fan_out_outbox.ts): the outbox, not
 * Redis, is the source of truth.
 */
export class OutboxSweeper {
  #timer?: NodeJS.Timeout
  #running?: Promise<number>

  constructor(private options: OutboxSweeperOptions) {}

  start() {
    this.#timer = setInterval(() => void this.sweep(), this.options.everySeconds * 1000)
  }

  async stop() {
    clearInterval(this.#timer)
    await this.#running
  }

  /** One pass; returns how many intents were dispatched again. */
  sweep() {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined))
    return this.#running
  }

  async #sweep() {
    try {
      const userIds = await WelcomeOutbox.undelivered(this.options.everySeconds)
      for (const userId of userIds) {
        await WelcomeOutbox.dispatch(userId)
      }
      if (userIds.length) {
        this.options.logger.info({ count: userIds.length }, 'outbox sweep re-dispatched intents')
      }
      const posts = await FanOutOutbox.redispatchOwed(this.options.everySeconds)
      if (posts) {
        this.options.logger.info({ count: posts }, 'outbox sweep re-queued post fan-outs')
      }
      return userIds.length + posts
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox sweep failed; next pass retries')
      return 0
    }
  }
}
