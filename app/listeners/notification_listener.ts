import type { CommentEvent, FriendRequestEvent, LikeEvent } from '#events/domain_events'
import type { NotificationIntent } from '#services/notifications/notification_service'
import WriteNotification from '#jobs/write_notification'

/**
 * Events become notifications: the listener only queues the job that
 * writes the row and publishes it live, so the request that emitted the
 * event never waits on either. One's own act notifies no one.
 */
export default class NotificationListener {
  /** The receiver hears that someone asked. */
  async friendRequestSent(event: FriendRequestEvent) {
    await this.queue({
      type: 'friend_request',
      recipientId: event.receiverId,
      actorId: event.senderId,
      subjectId: event.requestId,
    })
  }

  /** The sender hears that the receiver said yes. */
  async friendRequestAccepted(event: FriendRequestEvent) {
    await this.queue({
      type: 'friend_accepted',
      recipientId: event.senderId,
      actorId: event.receiverId,
      subjectId: event.requestId,
    })
  }

  /** The post's author hears of a like (once per liker and post, NotificationService). */
  async postLiked(event: LikeEvent) {
    await this.queue({
      type: 'like',
      recipientId: event.authorId,
      actorId: event.userId,
      subjectId: event.postId,
      postId: event.postId,
    })
  }

  /** The post's author hears of a comment. */
  async commentCreated(event: CommentEvent) {
    await this.queue({
      type: 'comment',
      recipientId: event.authorId,
      actorId: event.userId,
      subjectId: event.commentId,
      postId: event.postId,
    })
  }

  /**
   * Queues the job; with Redis away the dispatch gives up within a second.
   * A friend request stays owed (NotificationOutbox) and the worker's sweep
   * queues it once Redis is back; a notification about a post is best
   * effort: nothing in MySQL records that it is owed, so it is lost.
   */
  private async queue(intent: Omit<NotificationIntent, 'at'>) {
    if (intent.recipientId === intent.actorId) return
    await WriteNotification.dispatch({ ...intent, at: Date.now() })
  }
}
