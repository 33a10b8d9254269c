import { inject } from '@adonisjs/core'
import { DrainJob } from '#jobs/drain_job'
import { LikeNotificationOutbox } from '#services/likes/like_notification_outbox'
import {
  NotificationService,
  type PresentedNotification,
} from '#services/notifications/notification_service'
import { NotificationStream } from '#services/notifications/notification_stream'

/**
 * Drains the like notification outbox: reads owed likes in batches, writes
 * their notifications (once per liker and post, NotificationService), marks
 * the likes told, then sends each author's browsers a live message per
 * notification, all with one unread count (counted once per author).
 * A crash mid-batch leaves the likes owed; the next drain writes nothing
 * twice (the notification's key). A like asks for a drain with
 * `NotifyLikes.ask()`.
 */
@inject()
export default class NotifyLikes extends DrainJob {
  static jobName = 'NotifyLikes'
  protected batchSize = 500

  constructor(
    private outbox: LikeNotificationOutbox,
    private notifications: NotificationService,
    private stream: NotificationStream
  ) {
    super()
  }

  async batch() {
    const owed = await this.outbox.owed(this.batchSize)
    if (!owed.length) return 0
    const written = await this.notifications.recordMany(owed.map((like) => like.intent))
    await this.outbox.markDone(owed.map((like) => like.likeId))

    // Written: the live messages below are a courtesy.
    const recipientOf = new Map(written.map((row) => [row.id, row.recipientId]))
    const told = new Map<number, PresentedNotification[]>()
    for (const notification of await this.notifications.present(written)) {
      const recipientId = recipientOf.get(notification.id)!
      if (!told.has(recipientId)) told.set(recipientId, [])
      told.get(recipientId)!.push(notification)
    }
    await Promise.all(
      [...told].map(([recipientId, list]) =>
        this.stream.publish(recipientId, ...list).catch((error) => {
          this.logger.warn({ err: error, recipientId }, 'like notifications written, not told live')
        })
      )
    )
    return owed.length
  }
}
