import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { QueuedJob, dispatchJob, redispatch } from '#jobs/bull_adapter'
import { HomeFeed } from '#services/posts/home_feed'
import { FanOutOutbox, fanOutJobId } from '#services/posts/fan_out_outbox'
import { FeedStream } from '#services/posts/feed_stream'

export interface FanOutPostPayload {
  postId: number
}

/** The post is not on the primary: not committed yet, or deleted since. */
class PostNotFound extends Error {}

/**
 * Puts a new post in the timelines of its author's friends, marks the post
 * fanned out, then tells their open feed pages. Safe to run twice (adding an id is idempotent). A post
 * it cannot find is retried with backoff: it may not be there yet; a post
 * deleted meanwhile runs out of tries, and nothing is owed for it.
 */
@inject()
export default class FanOutPost extends QueuedJob<FanOutPostPayload> {
  /** The stable name app/jobs/main.ts maps back to this class. */
  static jobName = 'FanOutPost'

  static async dispatch(postId: number, createdAt: Date) {
    await dispatchJob(this, { postId }, { jobId: fanOutJobId(postId, createdAt), attempts: 8 })
  }

  /** Queues again the posts still owed a fan-out after `olderThanSeconds` (redispatch). */
  static async redispatchOwed(olderThanSeconds: number) {
    let dispatched = 0
    const outbox = await app.container.make(FanOutOutbox)
    for (const post of await outbox.owed(olderThanSeconds)) {
      const jobId = fanOutJobId(post.id, post.createdAt)
      if (await redispatch(this, { postId: post.id }, jobId, { attempts: 8 })) dispatched++
    }
    return dispatched
  }

  constructor(
    private feed: HomeFeed,
    private outbox: FanOutOutbox,
    private feedStream: FeedStream
  ) {
    super()
  }

  async handle({ postId }: FanOutPostPayload) {
    const readers = await this.feed.fanOut(postId)
    if (!readers) throw new PostNotFound(`post ${postId} not found`)
    await this.outbox.markDone(postId)
    await this.feedStream.publish(postId, readers)
  }

  /** The post stays owed in the outbox (if it exists): the worker's sweep queues it again. */
  async rescue({ postId }: FanOutPostPayload, error: Error) {
    if (error instanceof PostNotFound) {
      this.logger.info({ postId }, 'fan-out skipped: the post is gone')
      return
    }
    this.logger.error({ postId, err: error }, 'fan-out job gave up; the sweep will retry')
  }
}
