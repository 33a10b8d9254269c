import type { PostEvent } from '#events/domain_events'
import { inject } from '@adonisjs/core'
import { CacheInvalidation } from '#cache/invalidation'

/**
 * A profile page lists its user's latest posts, kept per process, and
 * visitors without a cookie get the page itself from a cache: a post
 * written, edited or deleted drops both on every replica (the author's
 * cached data and signed-in row stay).
 */
@inject()
export default class PostListener {
  constructor(private invalidate: CacheInvalidation) {}

  async authorPageChanged({ authorId }: PostEvent) {
    await this.invalidate.authorPage(authorId)
  }
}
