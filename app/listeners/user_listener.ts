import type { UserEvent } from '#events/domain_events'
import { inject } from '@adonisjs/core'
import { CacheInvalidation } from '#cache/invalidation'

/**
 * Keeps cached user data true: whatever changed a user or their profile,
 * their cached data is dropped on every replica (the cache bus). On
 * registration too: after a restore, an id can come back while a cache
 * still holds the user who had it before.
 */
@inject()
export default class UserListener {
  constructor(private invalidate: CacheInvalidation) {}

  async forgetCachedData({ userId }: UserEvent) {
    await this.invalidate.user(userId)
  }
}
