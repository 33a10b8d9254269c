import type { CountedEvent, LikeEvent, PostEvent } from '#events/domain_events'
import { inject } from '@adonisjs/core'
import { CacheInvalidation } from '#cache/invalidation'

/**
 * A profile page lists its user's latest posts, kept per process, and
 * visitors without a cookie get the page itself from a cache: a new post
 * drops both on every replica (the author's cached data and signed-in row
 * stay); an edited or deleted one also replaces the post's cached entry.
 * A like or unlike also drops the liker's kept likes.
 */
@inject()
export default class PostListener {
  constructor(private invalidate: CacheInvalidation) {}

  async authorPageChanged({ authorId }: PostEvent) {
    await this.invalidate.authorPage(authorId)
  }

  async postChanged({ postId, authorId, committed }: CountedEvent) {
    await this.invalidate.post(postId, authorId, committed)
  }

  /** The liker's kept likes, which every post list's `liked` reads. */
  async likesChanged({ userId }: LikeEvent) {
    await this.invalidate.likes(userId)
  }
}
