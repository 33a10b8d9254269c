/**
 * The domain events: what happened, emitted by a use case once its
 * transaction has committed. Payloads carry ids (and what is gone after a
 * delete, or a post's data as it was written or committed), never models,
 * so a listener reads fresh rows or queues a job.
 * Listeners are wired in start/events.ts.
 */
import type { OutboxKind } from '#models/outbox_email'
import type { PostData } from '#models/post'
import type { CommittedPost } from '#cache/post_cache'

export interface UserEvent {
  userId: number
}

export interface FriendRequestEvent {
  requestId: number
  senderId: number
  receiverId: number
}

export interface FriendshipEndedEvent {
  userId: number
  friendId: number
}

/** A block was made or lifted (both users' relation snapshots change). */
export interface BlockEvent {
  blockerId: number
  blockedId: number
}

export interface PostEvent {
  postId: number
  authorId: number
}

/**
 * A change of a post's likes or comments carries the post as that change
 * committed it (read under the post's lock: plain data and its version, not a model), so
 * the post cache takes it without reading the row again.
 */
export interface CountedEvent extends PostEvent {
  committed?: CommittedPost
}

/** A post was written: its data as inserted, which no listener needs to read back. */
export interface PostCreatedEvent extends PostEvent {
  post: PostData
}

/** `userId` liked or unliked post `postId` (by `authorId`); emitted only when that changed something. */
export interface LikeEvent extends CountedEvent {
  userId: number
}

/** `userId` wrote or removed comment `commentId` under post `postId` (by `authorId`). */
export interface CommentEvent extends CountedEvent {
  commentId: number
  userId: number
}

/** An email was recorded in the mail outbox (or made sendable again): queue its job. */
export interface EmailRecordedEvent {
  emailId: number
  userId: number
  kind: OutboxKind
  jobKey: string
}

declare module '@adonisjs/core/types' {
  interface EventsList {
    'user.registered': UserEvent
    'user.updated': UserEvent
    'password.changed': UserEvent
    'account.deleted': UserEvent & { files: string[] }
    'friend_request.sent': FriendRequestEvent
    'friend_request.accepted': FriendRequestEvent
    'friend_request.declined': FriendRequestEvent
    'friend_request.cancelled': FriendRequestEvent
    'friendship.ended': FriendshipEndedEvent
    'block.changed': BlockEvent
    'post.created': PostCreatedEvent
    'post.updated': PostEvent
    'post.deleted': PostEvent
    'post.liked': LikeEvent
    'post.unliked': LikeEvent
    'comment.created': CommentEvent
    'comment.deleted': CommentEvent
    'email.recorded': EmailRecordedEvent
  }
}
