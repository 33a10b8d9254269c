import type { PostEvent } from '#events/domain_events'
import { userDirectory } from '#services/user_directory'

/**
 * A profile page lists its user's latest posts, and visitors without a
 * cookie get it from a page cache keyed by the user's cached data
 * (public_page_cache_middleware). Dropping that data, on every replica,
 * drops the page with it.
 */
export default class PostListener {
  async authorPageChanged({ authorId }: PostEvent) {
    await userDirectory.forget(authorId)
  }
}
