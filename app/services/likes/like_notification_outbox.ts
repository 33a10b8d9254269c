import { primary } from '#helpers/primary'
import { OutboxColumn } from '#helpers/outbox_column'
import type { NotificationIntent } from '#services/notifications/notification_service'

/** A like owed its notification, and the notification it owes. */
export interface OwedLike {
  likeId: number
  intent: NotificationIntent
}

/**
 * The like notification outbox: a like's `notified_at` stays NULL from its
 * INSERT until the NotifyLikes drain has written the notification to the
 * post's author, so a like pays no job of its own (one drain tells many)
 * and a like whose drain was lost is found again by the worker's sweep.
 * An unlike deletes the row, and with it the notification still owed,
 * unless a drain had read the like already (then it is told once all the same).
 */
export class LikeNotificationOutbox extends OutboxColumn {
  constructor() {
    super('likes', 'notified_at')
  }

  /** Up to `limit` owed likes, oldest first, from the primary (a replica may lack the newest). */
  async owed(limit: number): Promise<OwedLike[]> {
    const rows: {
      id: number
      post_id: number
      user_id: number
      author_id: number
      created_at: Date
    }[] = await primary()
      .from('likes')
      .join('posts', 'posts.id', 'likes.post_id')
      .whereNull('likes.notified_at')
      .orderBy('likes.id')
      .limit(limit)
      .select(
        'likes.id',
        'likes.post_id',
        'likes.user_id',
        'likes.created_at',
        'posts.user_id as author_id'
      )
    return rows.map((row) => ({
      likeId: Number(row.id),
      intent: {
        type: 'like',
        recipientId: row.author_id,
        actorId: row.user_id,
        subjectId: row.post_id,
        postId: row.post_id,
        at: new Date(row.created_at).getTime(),
      },
    }))
  }
}
