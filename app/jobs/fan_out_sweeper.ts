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
  protected what = { sweep: 'fan-out', items: 'posts' }

  constructor(protected logger: Logger) {
    super()
  }

  protected pass(everySeconds: number) {
    return FanOutPost.redispatchOwed(everySeconds)
  }
}
