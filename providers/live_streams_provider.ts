import type { ApplicationService } from '@adonisjs/core/types'
import logger from '@adonisjs/core/services/logger'
import { LiveStreams, RENEW_EVERY_MS } from '#services/notifications/live_streams'

/**
 * One LiveStreams per process: it holds the streams open on this process.
 * Every process has one (a command that ends a user's sessions ends their
 * streams on every replica through it); the processes that serve HTTP also
 * renew the leases of the streams they hold.
 */
export default class LiveStreamsProvider {
  #renewal?: NodeJS.Timeout

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(LiveStreams, () => new LiveStreams())
  }

  /**
   * Per process, not a queue job: only the process holding a stream can
   * renew its lease or end it, and a process that dies lets its leases run out.
   */
  async ready() {
    if (!['web', 'test'].includes(this.app.getEnvironment())) return
    const streams = await this.app.container.make(LiveStreams)
    this.#renewal = setInterval(
      () =>
        void streams.sweep().catch((error) => logger.warn({ err: error }, 'stream sweep failed')),
      RENEW_EVERY_MS
    ).unref()
  }

  async shutdown() {
    clearInterval(this.#renewal)
  }
}
