import db from '@adonisjs/lucid/services/db'
import { defaultQueue, dispatchJob } from '#jobs/bull_adapter'
import FanOutPost from '#jobs/fan_out_post'

/** States in which a queued job is still on its way to a worker. */
const ON_ITS_WAY = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children'])

/**
 * The fan-out outbox: `posts.fanned_out_at` stays NULL until a FanOutPost
 * job has put the post in every friend's timeline. Redis is never the only
 * record of a fan-out owed: the worker's sweep finds posts left NULL (the
 * queue was down at commit, a job was lost) and queues them again.
 */
export class FanOutOutbox {
  /**
   * The job id joins the post id with its creation time: ids start again
   * after a database restore, and Redis keeps finished jobs for a while.
   */
  static jobId(postId: number, createdAt: Date) {
    return `fanout-${postId}-${createdAt.getTime()}`
  }

  static async dispatch(postId: number, createdAt: Date) {
    await dispatchJob(FanOutPost, { postId }, { jobId: this.jobId(postId, createdAt), attempts: 8 })
  }

  static async markDone(postId: number) {
    await db
      .from('posts')
      .where('id', postId)
      .whereNull('fanned_out_at')
      .update({ fanned_out_at: new Date() })
  }

  /** Posts still owed a fan-out after `olderThanSeconds`, oldest first. */
  static async owed(olderThanSeconds: number, limit = 500) {
    const rows = await db
      .from('posts')
      .whereNull('fanned_out_at')
      .where('created_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
      .select('id', 'created_at')
      .orderBy('id')
      .limit(limit)
    return rows.map((row) => ({ id: Number(row.id), createdAt: new Date(row.created_at) }))
  }

  /**
   * Queues the owed posts again, unless their job is still waiting for a
   * worker. A job left active by a killed worker gets a second one beside
   * it: fanning out twice is harmless, waiting for Bull's stall check is not.
   */
  static async redispatchOwed(olderThanSeconds: number) {
    const owed = await this.owed(olderThanSeconds)
    const queue = await defaultQueue()
    let dispatched = 0
    for (const post of owed) {
      const job = await queue.getJob(this.jobId(post.id, post.createdAt))
      if (job && ON_ITS_WAY.has(await job.getState())) continue
      const jobId = `${this.jobId(post.id, post.createdAt)}-again-${Date.now()}`
      await dispatchJob(FanOutPost, { postId: post.id }, { jobId, attempts: 8 })
      dispatched++
    }
    return dispatched
  }
}
