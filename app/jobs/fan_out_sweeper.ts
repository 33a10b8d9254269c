import app from '@adonisjs/core/services/app'
import FanOutPosts from '#jobs/fan_out_posts'
import { FanOutOutbox } from '#services/posts/fan_out_outbox'
import { Sweep } from '#jobs/sweep'

/**
 * Queues a fan-out drain when a post has been owed one for longer than a
 * sweep interval (`posts.fanned_out_at` NULL): its job never reached Redis,
 * was lost, or its worker died.
 */
export default class FanOutSweeper extends Sweep {
  static jobName = 'FanOutSweeper'
  protected what = { sweep: 'fan-out', items: 'a drain of owed posts' }

  async sweep(everySeconds: number) {
    const outbox = await app.container.make(FanOutOutbox)
    return FanOutPosts.dispatchIfOwed(() => outbox.owedFor(everySeconds))
  }
}
