import { inject } from '@adonisjs/core'
import { QueuedJob } from '#jobs/bull_adapter'
import { FriendRequestExpiry } from '#services/friends/friend_request_expiry'

/**
 * Removes pending friend requests older than 90 days. Repeatable: the
 * worker schedules it (app/jobs/schedules.ts); running it twice is harmless.
 */
@inject()
export default class ExpireFriendRequests extends QueuedJob<Record<string, never>> {
  static jobName = 'ExpireFriendRequests'

  constructor(private expiry: FriendRequestExpiry) {
    super()
  }

  async handle() {
    const removed = await this.expiry.expire()
    this.logger.info({ removed }, 'expired pending friend requests')
  }

  async rescue(_payload: unknown, error: Error) {
    this.logger.error({ err: error }, 'friend request expiry gave up; the next run retries')
  }
}
