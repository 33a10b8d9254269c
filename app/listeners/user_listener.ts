import type { UserEvent } from '#events/domain_events'
import { userDirectory } from '#services/user_directory'

/**
 * Keeps cached user data true: whatever changed a user or their profile,
 * their cached data is dropped on every replica (the cache bus). On
 * registration too: after a restore, an id can come back while a cache
 * still holds the user who had it before.
 */
export default class UserListener {
  async forgetCachedData({ userId }: UserEvent) {
    await userDirectory.forget(userId)
  }
}
