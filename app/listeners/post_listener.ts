import type { PostEvent } from '#events/domain_events'
import { publicPages } from '#services/public_pages'

/**
 * A profile page lists its user's latest posts, kept per process, and
 * visitors without a cookie get the page itself from a cache: a post
 * written, edited or deleted drops both on every replica (the author's
 * cached data and signed-in row stay).
 */
export default class PostListener {
  async authorPageChanged({ authorId }: PostEvent) {
    await publicPages.forget(authorId)
  }
}
