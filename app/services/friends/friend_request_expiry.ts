import { DateTime } from 'luxon'
import FriendRequest from '#models/friend_request'

/** Pending requests older than this are removed (the worker's schedule, `friends:expire`). */
export const FRIEND_REQUEST_TTL_DAYS = 90

const BATCH = 1000

export interface ExpiryOptions {
  /** "Now", moved forward by tests; the cut-off is this minus the TTL. */
  now?: DateTime
  days?: number
}

/**
 * Removes pending friend requests nobody answered in 90 days, in batches
 * (the `status, created_at` index finds them), so a large backlog never
 * holds long locks. Safe to run twice, or on two workers at once.
 */
export class FriendRequestExpiry {
  cutoff({ now = DateTime.utc(), days = FRIEND_REQUEST_TTL_DAYS }: ExpiryOptions = {}) {
    return now.minus({ days })
  }

  /** What an expiry would remove, oldest first (at most `limit`), and how many in all. */
  async preview(options: ExpiryOptions = {}, limit = 20) {
    const query = this.expired(options)
    const [requests, total] = await Promise.all([
      query.clone().orderBy('created_at').orderBy('id').limit(limit),
      query.clone().count('* as total').first(),
    ])
    return { requests, total: Number(total?.$extras.total ?? 0) }
  }

  /** Removes the expired requests; answers how many. */
  async expire(options: ExpiryOptions = {}) {
    let removed = 0
    for (;;) {
      const ids = await this.expired(options).limit(BATCH).select('id')
      if (ids.length === 0) return removed
      const deleted = await FriendRequest.query()
        .whereIn(
          'id',
          ids.map((row) => row.id)
        )
        .where('status', 'pending')
        .delete()
      removed += Array.isArray(deleted) ? Number(deleted[0]) : Number(deleted)
      if (ids.length < BATCH) return removed
    }
  }

  private expired(options: ExpiryOptions) {
    return FriendRequest.query()
      .where('status', 'pending')
      .where('created_at', '<', this.cutoff(options).toSQL({ includeOffset: false })!)
  }
}
