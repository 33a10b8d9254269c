import { inject } from '@adonisjs/core'
import { Job } from '@rlanz/bull-queue'
import { FriendRequestExpiry } from '#services/friend_request_expiry'

/**
 * Removes pending friend requests older than 90 days. Repeatable: the
 * worker schedules it (app/jobs/schedules.ts); running it twice is harmless.
 */
@inject()
export default class ExpireFriendRequests extends Job {
  /** The stable job name (app/jobs/main.ts maps it back to this file). */
  static $$filepath = 'ExpireFriendRequests'

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
