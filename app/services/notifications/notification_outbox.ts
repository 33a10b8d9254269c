import db from '@adonisjs/lucid/services/db'
import type { NotificationIntent } from '#services/notifications/notification_service'

/** The notification each state of a request owes, and to whom. */
const OWED = {
  pending: { type: 'friend_request', recipient: 'receiver_id', actor: 'sender_id' },
  accepted: { type: 'friend_accepted', recipient: 'sender_id', actor: 'receiver_id' },
} as const

/**
 * Notifications owed, kept by MySQL rather than Redis: a friend request's
 * `notified_at` is NULL from its last change (sent, accepted) until the
 * WriteNotification job has written the notification that change owes. The
 * worker's sweep queues again those still owed: Redis was down when the
 * event fired, or the job was lost.
 */
export class NotificationOutbox {
  /** The notifications still owed after `olderThanSeconds`, oldest request first. */
  async owed(olderThanSeconds: number, limit = 500): Promise<NotificationIntent[]> {
    const rows = await db
      .from('friend_requests')
      .whereNull('notified_at')
      .whereIn('status', Object.keys(OWED))
      .where('updated_at', '<', new Date(Date.now() - olderThanSeconds * 1000))
      .select('id', 'sender_id', 'receiver_id', 'status', 'updated_at')
      .orderBy('id')
      .limit(limit)
    return rows.map((row) => {
      const owed = OWED[row.status as keyof typeof OWED]
      return {
        type: owed.type,
        recipientId: Number(row[owed.recipient]),
        actorId: Number(row[owed.actor]),
        subjectId: Number(row.id),
        // No later than the event itself: a notification written by its first job stays as it is.
        at: new Date(row.updated_at).getTime(),
      }
    })
  }

  /**
   * The request owes nothing more, unless it changed since to owe another.
   * Comments and mentions are owed by nothing (best effort, see
   * NotificationListener); likes have their own outbox (LikeNotificationOutbox).
   */
  async markDone({ type, subjectId }: NotificationIntent) {
    if (type !== 'friend_request' && type !== 'friend_accepted') return
    const status = type === 'friend_request' ? 'pending' : 'accepted'
    await db
      .from('friend_requests')
      .where('id', subjectId)
      .where('status', status)
      .whereNull('notified_at')
      .update({ notified_at: new Date() })
  }
}
