import logger from '@adonisjs/core/services/logger'
import type { FriendRequestEvent } from '#events/domain_events'
import type { NotificationIntent } from '#services/notification_service'
import { withTimeout } from '#helpers/timeout'
import WriteNotification from '#jobs/write_notification'

/**
 * Friend requests become notifications: the listener only queues the job
 * that writes the row and publishes it live, so the request that emitted
 * the event never waits on either.
 */
export default class NotificationListener {
  /** The receiver hears that someone asked. */
  async friendRequestSent(event: FriendRequestEvent) {
    await this.queue({
      type: 'friend_request',
      recipientId: event.receiverId,
      actorId: event.senderId,
      subjectId: event.requestId,
      at: Date.now(),
    })
  }

  /** The sender hears that the receiver said yes. */
  async friendRequestAccepted(event: FriendRequestEvent) {
    await this.queue({
      type: 'friend_accepted',
      recipientId: event.senderId,
      actorId: event.receiverId,
      subjectId: event.requestId,
      at: Date.now(),
    })
  }

  /**
   * Queues the job, waiting at most a second for Redis: with Redis away the
   * event is logged and the notification is lost (it is a courtesy; the
   * friend request itself is in MySQL and shows on the friends pages).
   */
  private async queue(intent: NotificationIntent) {
    if (intent.recipientId === intent.actorId) return
    try {
      await withTimeout(
        WriteNotification.dispatch(intent),
        1000,
        'notification job not queued in time'
      )
    } catch (error) {
      logger.warn({ err: error, ...intent }, 'notification not queued')
    }
  }
}
