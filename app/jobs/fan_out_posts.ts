import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import feedConfig from '#config/feed'
import { QueuedJob, dispatchJob, releaseStaleDeduplication } from '#jobs/bull_adapter'
import { HomeFeed } from '#services/posts/home_feed'
import { FanOutOutbox } from '#services/posts/fan_out_outbox'
import { FeedStream } from '#services/posts/feed_stream'

/** A drain carries nothing: the outbox is its work list. */
type Drain = Record<string, never>

/**
 * One job stands for all the fan-outs owed: a new post queues one only if
 * none is queued (Bull's deduplication), so under load posts share jobs
 * instead of each paying Bull's bookkeeping.
 *
 * `keepLastIfActive`: a post asking while a drain runs (which may have
 * read the outbox before the post committed) gets one more drain, queued
 * by Bull as the running one finishes. The key lives exactly as long as
 * its job: Bull drops it when the job completes or fails. A ttl would
 * keep it past the job (Bull deletes only keys without one on
 * finalization), and every post in the ttl after a drain would wait for
 * the sweep. A drain whose worker died stays active until Bull's stall
 * check (config/queue.ts) puts it back in the queue; the posts asking
 * meanwhile get their drain after it.
 */
const DEDUPLICATION = { id: 'fan-out', keepLastIfActive: true }

/**
 * Drains the fan-out outbox: reads the posts owed a fan-out in batches
 * (several posts, one friend query, one pipelined write per timeline
 * batch), puts them in their authors' and friends' timelines, then marks
 * them fanned out, then tells their open feed pages. A crash mid-batch leaves them unmarked and the next
 * drain does the batch again: timeline writes are adds to sorted sets, so a
 * post is there once however often it is written.
 */
@inject()
export default class FanOutPosts extends QueuedJob<Drain> {
  /** The stable name app/jobs/main.ts maps back to this class. */
  static jobName = 'FanOutPosts'

  /** Asks for a drain; a post that commits before this call is in it. */
  static async dispatch() {
    await dispatchJob(this, {}, { deduplication: DEDUPLICATION, attempts: 8 })
  }

  /**
   * Asks for a drain when a post has been owed one for `olderThanSeconds`
   * (the sweep), first freeing the deduplication from a job lost meanwhile.
   */
  static async dispatchIfOwed(olderThanSeconds: number) {
    const outbox = await app.container.make(FanOutOutbox)
    if (!(await outbox.owedFor(olderThanSeconds))) return 0
    await releaseStaleDeduplication(DEDUPLICATION.id)
    await this.dispatch()
    return 1
  }

  constructor(
    private feed: HomeFeed,
    private outbox: FanOutOutbox,
    private feedStream: FeedStream
  ) {
    super()
  }

  async handle() {
    // A batch that was not full has read every post owed when it read.
    let read: number
    do read = await this.batch()
    while (read === feedConfig.fanOutPosts)
  }

  /** Fans out one batch of owed posts, then marks them; returns how many it read. */
  async batch() {
    const posts = await this.outbox.owed(feedConfig.fanOutPosts)
    if (!posts.length) return 0
    const added = await this.feed.fanOut(posts)
    await this.outbox.markDone(posts.map((post) => post.id))
    await this.feedStream.publish(added)
    return posts.length
  }

  /** The posts stay owed in the outbox: the worker's sweep queues a drain again. */
  async rescue(_payload: Drain, error: Error) {
    this.logger.error({ err: error }, 'fan-out job gave up; the sweep will retry')
  }
}
