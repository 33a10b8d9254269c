import type { FriendRequestEvent } from '#events/domain_events'
import type { NotificationType } from '#models/notification'
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
   * Queues the job; with Redis away the dispatch gives up within a second
   * and the request stays owed (NotificationOutbox): the worker's sweep
   * queues it once Redis is back.
   */
  private async queue(
    type: NotificationType,
    recipientId: number,
    actorId: number,
    requestId: number
  ) {
    if (recipientId === actorId) return
    const intent = { type, recipientId, actorId, subjectId: requestId, at: Date.now() }
    await WriteNotification.dispatch(intent)
  }
}
