import logger from '@adonisjs/core/services/logger'
import type { FriendRequestEvent } from '#events/domain_events'
import type { NotificationType } from '#models/notification'
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
    await this.queue('friend_request', event.receiverId, event.senderId, event.requestId)
  }

  /** The sender hears that the receiver said yes. */
  async friendRequestAccepted(event: FriendRequestEvent) {
    await this.queue('friend_accepted', event.senderId, event.receiverId, event.requestId)
  }

  /**
   * Queues the job, waiting at most a second for Redis: with Redis away the
   * event is logged and the notification is lost (it is a courtesy; the
   * friend request itself is in MySQL and shows on the friends pages).
   */
  private async queue(
    type: NotificationType,
    recipientId: number,
    actorId: number,
    requestId: number
  ) {
    if (recipientId === actorId) return
    const intent = { type, recipientId, actorId, subjectId: requestId, at: Date.now() }
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
