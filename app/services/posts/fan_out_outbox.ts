import db from '@adonisjs/lucid/services/db'

/**
 * A post's FanOutPost job id joins the post id with its creation time: ids
 * start again after a database restore, and Redis keeps finished jobs for a while.
 */
export function fanOutJobId(postId: number, createdAt: Date) {
  return `fanout-${postId}-${createdAt.getTime()}`
}

/**
 * The fan-out outbox's state (FanOutPost queues the jobs): `posts.fanned_out_at` stays NULL until a FanOutPost
 * job has put the post in every friend's timeline. Redis is never the only
 * record of a fan-out owed: the worker's sweep finds posts left NULL (the
 * queue was down at commit, a job was lost) and queues them again.
 */
export class FanOutOutbox {
  async markDone(postId: number) {
    await db
      .from('posts')
      .where('id', postId)
      .whereNull('fanned_out_at')
      .update({ fanned_out_at: new Date() })
  }

  /** Posts still owed a fan-out after `olderThanSeconds`, oldest first. */
  async owed(olderThanSeconds: number, limit = 500) {
    const rows = await db
      .from('posts')
      .whereNull('fanned_out_at')
      .where('created_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
      .select('id', 'created_at')
      .orderBy('id')
      .limit(limit)
    return rows.map((row) => ({ id: Number(row.id), createdAt: new Date(row.created_at) }))
  }
}
