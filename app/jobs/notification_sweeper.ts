import app from '@adonisjs/core/services/app'
import WriteNotification from '#jobs/write_notification'
import NotifyLikes from '#jobs/notify_likes'
import { LikeNotificationOutbox } from '#services/likes/like_notification_outbox'
import { Sweep } from '#jobs/sweep'

/**
 * Queues again the notifications still owed after a sweep interval (a
 * friend request's or a like's `notified_at` NULL): the job never reached
 * Redis, was lost, or its worker died.
 */
export default class NotificationSweeper extends Sweep {
  static jobName = 'NotificationSweeper'
  protected what = { sweep: 'notification', items: 'notifications' }

  async sweep(everySeconds: number) {
    const likes = await app.container.make(LikeNotificationOutbox)
    const [requests, drains] = await Promise.all([
      WriteNotification.redispatchOwed(everySeconds),
      NotifyLikes.dispatchIfOwed(() => likes.owedFor(everySeconds)),
    ])
    return requests + drains
  }
}
