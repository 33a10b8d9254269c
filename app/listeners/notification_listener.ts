import { inject } from '@adonisjs/core'
import type { CommentEvent, FriendRequestEvent, LikeEvent, PostEvent } from '#events/domain_events'
import type { NotificationIntent } from '#services/notifications/notification_service'
import WriteNotification from '#jobs/write_notification'
import NotifyLikes from '#jobs/notify_likes'
import Post, { type PostData, type PostRow } from '#models/post'
import { PostAccess } from '#services/posts/post_access'
import { mentionedUserIds, mentionsIn } from '#presenters/post_text'
import { primary } from '#helpers/primary'

/**
 * Events become notifications: the listener only queues the job that
 * writes the row and publishes it live, so the request that emitted the
 * event never waits on either. One's own act notifies no one.
 */
@inject()
export default class NotificationListener {
  constructor(private access: PostAccess) {}

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

  /**
   * The post's author hears of a like (once per liker and post): the like
   * row owes it (LikeNotificationOutbox) and a NotifyLikes drain writes it,
   * asked for without waiting. A like of one's own post owes nothing.
   */
  async postLiked(event: LikeEvent) {
    if (event.authorId !== event.userId) void NotifyLikes.ask()
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
   * Those a new or edited post mentions hear of it (once per post:
   * NotificationService). A new post comes with its data; an edit is read back.
   */
  async postMentions({ postId, authorId, post }: PostEvent & { post?: PostData }) {
    const data = post ?? (await this.#post(postId))
    if (data) await this.#mentions(data.text, authorId, data)
  }

  /** Those a comment mentions hear of it, pointed to the post. */
  async commentMentions({ commentId, postId, userId }: CommentEvent) {
    const comment = await primary().from('comments').where('id', commentId).select('text').first()
    const post = comment && (await this.#post(postId))
    if (post) await this.#mentions(comment.text, userId, post)
  }

  /**
   * The primary's row: the change was just written, and the post cache is
   * refreshed by another listener of the same event, maybe not yet.
   */
  async #post(postId: number) {
    const row: PostRow | null = await primary().from(Post.table).where('id', postId).first()
    return row && Post.dataOf(row)
  }

  /** Each user `text` links to by `@name` but the writer, if they may see the post. */
  async #mentions(text: string | null, actorId: number, post: PostData) {
    const recipients = mentionedUserIds(text, await mentionsIn([text]))
    await Promise.all(
      recipients.map(async (recipientId) => {
        if (!(await this.access.canSee({ id: recipientId }, post))) return
        await this.queue({
          type: 'mention',
          recipientId,
          actorId,
          subjectId: post.id,
          postId: post.id,
        })
      })
    )
  }

  /**
   * Queues the job; with Redis away the dispatch gives up within a second.
   * A friend request stays owed (NotificationOutbox) and the worker's sweep
   * queues it once Redis is back (a like is owed by its row, postLiked); a
   * comment's or mention's notification is best effort: nothing in MySQL
   * records that it is owed, so it is lost.
   */
  private async queue(intent: Omit<NotificationIntent, 'at'>) {
    if (intent.recipientId === intent.actorId) return
    await WriteNotification.dispatch({ ...intent, at: Date.now() })
  }
}
