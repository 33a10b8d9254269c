import { inject } from '@adonisjs/core'
import { DrainJob } from '#jobs/drain_job'
import { LikeNotificationOutbox } from '#services/likes/like_notification_outbox'
import { NotificationService } from '#services/notifications/notification_service'
import { NotificationStream } from '#services/notifications/notification_stream'

/**
 * Drains the like notification outbox: reads owed likes in batches, writes
 * their notifications (once per liker and post, NotificationService), marks
 * the likes told, then tells the authors who are online (NotificationStream.tell).
 * A crash mid-batch leaves the likes owed; the next drain writes nothing
 * twice (the notification's key). A like asks for a drain with
 * `NotifyLikes.ask()`.
 */
@inject()
export default class NotifyLikes extends DrainJob {
  static jobName = 'NotifyLikes'
  /** Likes come in bursts; a notification a moment later goes unnoticed. */
  static gatherMs = 200
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
    await this.stream.tell(written)
    return owed.length
  }
}
