import FanOutPost from '#jobs/fan_out_post'
import { Sweep } from '#jobs/sweep'

/**
 * Queues again the fan-out of posts that are still owed one after a sweep
 * interval (`posts.fanned_out_at` NULL): the job never reached Redis, was
 * lost, or its worker died.
 */
export default class FanOutSweeper extends Sweep {
  static jobName = 'FanOutSweeper'
  protected what = { sweep: 'fan-out', items: 'posts' }

  sweep(everySeconds: number) {
    return FanOutPost.redispatchOwed(everySeconds)
  }
}
