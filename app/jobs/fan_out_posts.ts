import { inject } from '@adonisjs/core'
import feedConfig from '#config/feed'
import { DrainJob } from '#jobs/drain_job'
import { HomeFeed } from '#services/posts/home_feed'
import { FanOutOutbox } from '#services/posts/fan_out_outbox'
import { FeedStream } from '#services/posts/feed_stream'

/**
 * Drains the fan-out outbox: reads the posts owed a fan-out in batches
 * (several posts, one friend query, one pipelined write per timeline
 * batch), puts them in their authors' and friends' timelines, then marks
 * them fanned out, then tells their open feed pages. A crash mid-batch leaves them unmarked and the next
 * drain does the batch again: timeline writes are adds to sorted sets, so a
 * post is there once however often it is written. A new post asks for a
 * drain with `FanOutPosts.ask()`.
 */
@inject()
export default class FanOutPosts extends DrainJob {
  /** The stable name app/jobs/main.ts maps back to this class. */
  static jobName = 'FanOutPosts'
  /** Posts that arrive together share a batch; friends see them a moment later. */
  static gatherMs = 200
  protected batchSize = feedConfig.fanOutPosts

  constructor(
    private feed: HomeFeed,
    private outbox: FanOutOutbox,
    private feedStream: FeedStream
  ) {
    super()
  }

  /** Fans out one batch of owed posts, then marks them; returns how many it read. */
  async batch() {
    const posts = await this.outbox.owed(this.batchSize)
    if (!posts.length) return 0
    const added = await this.feed.fanOut(posts)
    await this.outbox.markDone(posts.map((post) => post.id))
    await this.feedStream.publish(added)
    return posts.length
  }
}
