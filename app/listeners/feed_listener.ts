import { inject } from '@adonisjs/core'
import { dispatchJob } from '#jobs/bull_adapter'
import type { FriendRequestEvent, FriendshipEndedEvent, PostEvent } from '#events/domain_events'
import { HomeFeed } from '#services/posts/home_feed'
import { TimelineStore } from '#services/posts/timeline_store'
import FanOutPosts from '#jobs/fan_out_posts'
import WithdrawPost from '#jobs/withdraw_post'

/**
 * Keeps home timelines in step with posts and friendships. Nothing here is
 * needed for a correct read (reads filter by the current friend set and by
 * the posts that exist, and reconcile a timeline with its friend set); it
 * is what makes reads fast. Each step is its own listener (start/events.ts),
 * so one failing (logged) leaves the others done.
 */
@inject()
export default class FeedListener {
  constructor(
    private feed: HomeFeed,
    private timelines: TimelineStore
  ) {}

  /** The author sees the post at once. */
  async addToOwnTimeline({ postId, authorId }: PostEvent) {
    await this.timelines.add(authorId, [postId])
  }

  /**
   * Friends get it from a FanOutPosts drain, asked for without waiting: the
   * post is owed in its row, and one not queued the worker's sweep queues.
   */
  async queueFanOut() {
    void FanOutPosts.ask()
  }

  async removeFromOwnTimeline({ postId, authorId }: PostEvent) {
    await this.timelines.remove(authorId, [postId])
  }

  async queueWithdrawal({ postId, authorId }: PostEvent) {
    await dispatchJob(WithdrawPost, { postId, authorId })
  }

  async friendRequestAccepted({ senderId, receiverId }: FriendRequestEvent) {
    await this.#reconcile(senderId, receiverId)
  }

  async friendshipEnded({ userId, friendId }: FriendshipEndedEvent) {
    await this.#reconcile(userId, friendId)
  }

  /** Both timelines are reconciled even when one fails. */
  async #reconcile(...userIds: number[]) {
    const outcomes = await Promise.allSettled(userIds.map((id) => this.feed.reconcile(id)))
    const failed = outcomes.find((outcome) => outcome.status === 'rejected')
    if (failed) throw failed.reason
  }
}
