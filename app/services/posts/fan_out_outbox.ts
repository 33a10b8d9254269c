import { primary } from '#helpers/primary'
import { OutboxColumn } from '#helpers/outbox_column'

export interface OwedPost {
  id: number
  authorId: number
}

/**
 * The fan-out outbox: `posts.fanned_out_at` stays NULL until the post is in
 * every friend's timeline. A request only inserts the post; the worker's
 * FanOutPosts job reads owed posts in batches, fans them out, then marks
 * them, so a crash mid-batch leaves them owed (and the timeline writes,
 * adds to sorted sets, are safe to repeat). Redis is never the only record
 * of a fan-out owed: the worker's sweep finds posts left NULL (the queue was
 * down at commit, a job was lost) and queues a drain.
 */
export class FanOutOutbox extends OutboxColumn {
  constructor() {
    super('posts', 'fanned_out_at')
  }

  /**
   * Up to `limit` owed posts, newest first, from the primary (a replica may
   * lack the newest). Newest first: under a burst of posts, the one just
   * written reaches the feeds its author expects it in without waiting for
   * the backlog (the bench's fan-out after its posting minute waited 6.5 s
   * oldest first); where a post lands in a timeline is its id, not when.
   */
  async owed(limit: number): Promise<OwedPost[]> {
    const rows = await primary()
      .from('posts')
      .whereNull('fanned_out_at')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'user_id')
    return rows.map((row: { id: number; user_id: number }) => ({
      id: Number(row.id),
      authorId: Number(row.user_id),
    }))
  }
}
