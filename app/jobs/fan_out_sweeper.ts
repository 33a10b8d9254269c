import { inject } from '@adonisjs/core'
import { Logger } from '@adonisjs/core/logger'
import FanOutPost from '#jobs/fan_out_post'
import { PeriodicSweep } from '#jobs/periodic_sweep'

/**
 * Queues again the fan-out of posts that are still owed one after a sweep
 * interval (`posts.fanned_out_at` NULL): the job never reached Redis, was
 * lost, or its worker died.
 */
@inject()
export class FanOutSweeper extends PeriodicSweep {
  constructor(private logger: Logger) {
    super()
  }

  protected async pass(everySeconds: number) {
    try {
      const queued = await FanOutPost.redispatchOwed(everySeconds)
      if (queued) this.logger.info({ count: queued }, 'fan-out sweep queued posts again')
      return queued
    } catch (error) {
      this.logger.warn({ err: error }, 'fan-out sweep failed; next pass retries')
      return 0
    }
  }
}
