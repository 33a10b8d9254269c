import logger from '@adonisjs/core/services/logger'
import FanOutPosts from '#jobs/fan_out_posts'

/**
 * Asks the worker for a fan-out drain without holding up the request that
 * wrote the post: at most one dispatch per process is in flight, and the
 * posts that commit meanwhile share the next one, sent when it returns (a
 * drain reads every post committed before its dispatch reached Redis). A
 * dispatch that fails is logged: the posts stay owed in the outbox and the
 * worker's sweep queues a drain.
 */
export class FanOutSignal {
  #sending: Promise<void> | null = null
  #again = false

  /** Resolves once a dispatch sent after this call has returned. */
  notify() {
    if (this.#sending) {
      this.#again = true
      return this.#sending
    }
    this.#sending = this.#send().finally(() => (this.#sending = null))
    return this.#sending
  }

  async #send() {
    do {
      this.#again = false
      await FanOutPosts.dispatch().catch((error) => {
        logger.warn({ err: error }, 'fan-out drain not queued; the sweep will queue one')
      })
    } while (this.#again)
  }
}
