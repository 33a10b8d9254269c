import { inject } from '@adonisjs/core'
import logger from '@adonisjs/core/services/logger'
import { dispatchJob } from '#jobs/bull_adapter'
import type {
  FriendRequestEvent,
  FriendshipEndedEvent,
  PostCreatedEvent,
  PostEvent,
} from '#events/domain_events'
import { HomeFeed } from '#services/home_feed'
import { TimelineStore } from '#services/timeline_store'
import FanOutPost from '#jobs/fan_out_post'
import WithdrawPost from '#jobs/withdraw_post'

/**
 * Keeps home timelines in step with posts and friendships. Nothing here is
 * needed for a correct read (reads filter by the current friend set and by
 * the posts that exist, and reconcile a timeline with its friend set); it
 * is what makes reads fast. So a failure is logged, never thrown at the
 * use case that already committed.
 */
@inject()
export default class FeedListener {
  constructor(
    private feed: HomeFeed,
    private timelines: TimelineStore
  ) {}

  /** The author sees the post at once; friends get it from the FanOutPost job. */
  async postCreated({ postId, authorId, createdAt }: PostCreatedEvent) {
    await Promise.all([
      this.#attempt('own timeline not updated', postId, () =>
        this.timelines.add(authorId, [postId])
      ),
      this.#attempt('fan-out not queued; the worker sweep will queue it', postId, () =>
        FanOutPost.dispatch(postId, createdAt)
      ),
    ])
  }

  async postDeleted({ postId, authorId }: PostEvent) {
    await this.#attempt('own timeline not updated', postId, () =>
      this.timelines.remove(authorId, [postId])
    )
    await this.#attempt('withdrawal not queued', postId, () =>
      dispatchJob(WithdrawPost, { postId, authorId })
    )
  }

  async friendRequestAccepted({ senderId, receiverId }: FriendRequestEvent) {
    await this.#reconcile(senderId, receiverId)
  }

  async friendshipEnded({ userId, friendId }: FriendshipEndedEvent) {
    await this.#reconcile(userId, friendId)
  }

  async #reconcile(...userIds: number[]) {
    for (const userId of userIds) {
      await this.#attempt('timeline not reconciled', userId, () => this.feed.reconcile(userId))
    }
  }

  async #attempt(message: string, id: number, work: () => Promise<unknown>) {
    try {
      await work()
    } catch (error) {
      logger.warn({ err: error, id }, message)
    }
  }
}
