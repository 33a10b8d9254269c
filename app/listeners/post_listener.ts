import type { PostEvent } from '#events/domain_events'
import { publicPages } from '#services/public_pages'

/**
 * A profile page lists its user's latest posts, and visitors without a
 * cookie get it from a page cache: a post written, edited or deleted drops
 * the author's page on every replica (and nothing else of theirs).
 */
export default class PostListener {
  async authorPageChanged({ authorId }: PostEvent) {
    await publicPages.forget(authorId)
  }
}
