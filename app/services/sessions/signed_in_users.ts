import { inject } from '@adonisjs/core'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { CacheStores, type AccessTokenRow, type KeptUser } from '#cache/stores'
import { relationsOf } from '#services/friends/friendship_queries'
import { likedPostIdsAmong, likedPostIdsOf } from '#services/likes/like_queries'
import { hasSorted } from '#helpers/sorted_ids'

export type { AccessTokenRow, RelationsSnapshot } from '#cache/stores'

/** `last_used_at` is written at most this often per token and process. */
export const TOUCH_INTERVAL_MS = 60_000

/**
 * What every signed-in request needs before its own work: the bearer
 * token's row, the user's row, how they stand with others and what they
 * like, kept in
 * process memory (app/cache/stores.ts). Writers drop them through
 * CacheInvalidation (`user`, `tokens`, `token`, `relation`, `likes`), here and on
 * every replica, so a revoked token stops working everywhere within the
 * bus's delay (milliseconds).
 *
 * Redis holds no copy: a miss costs one SELECT by primary key, as a Redis
 * read would, and there is no second copy to revoke.
 */
@inject()
export class SignedInUsers {
  constructor(private stores: CacheStores) {}

  /**
   * The row of token `id` (null when there is none), and whether its
   * `last_used_at` is due for a write: true at most once a minute.
   */
  async token(id: number, table: string) {
    const entry = await this.stores.tokens.getOrLoad(id, async () => {
      // The primary: a lagging replica could still hold a revoked token.
      const row = await db.query({ mode: 'write' }).from(table).where('id', id).first()
      return row ? { row: Object.freeze(row) as AccessTokenRow, touchedAt: 0 } : null
    })
    if (!entry) return null
    const now = Date.now()
    const touch = now - entry.touchedAt >= TOUCH_INTERVAL_MS
    if (touch) entry.touchedAt = now
    return { row: entry.row, touch }
  }

  /**
   * A fresh model of signed-in user `id` (callers may change it), or null:
   * none, or suspended. A suspension ends sessions and tokens at once; a
   * session that outlived that (Redis away when the moderator acted) is
   * refused here too, within the store's minute on every replica.
   */
  async user(id: number) {
    const kept = await this.stores.signedInUsers.getOrLoad(id, async () => {
      const row = await db.query({ mode: 'write' }).from(User.table).where('id', id).first()
      return row ? keptUser(User.$createFromAdapterResult(row)!) : null
    })
    return kept && !kept.attributes.suspendedAt ? freshUser(kept) : null
  }

  /** How user `id` stands with everyone (app/services/friends/friendship_queries.ts). */
  async relations(id: number) {
    return (await this.stores.relations.getOrLoad(id, () => relationsOf(id)))!
  }

  /**
   * Which of `postIds` user `id` likes: from their kept likes (sorted ids,
   * app/services/likes/like_queries.ts), or one query for the page where
   * nothing is kept (a process off the bus, someone past KEPT_LIKES_MAX).
   */
  async likedAmong(id: number, postIds: number[]): Promise<Set<number>> {
    const store = this.stores.likedPosts
    const kept = store.keep ? await store.getOrLoad(id, () => likedPostIdsOf(id)) : null
    if (!kept) return likedPostIdsAmong(id, postIds)
    return new Set(postIds.filter((postId) => hasSorted(kept, postId)))
  }

  /** This process only: a cached row that turned out to be another token's. */
  dropToken(id: number) {
    this.stores.tokens.delete(id)
  }
}

/**
 * What a model read from its row holds, kept read-only for the requests to
 * come; its dates as plain Dates (a Luxon DateTime takes ~700 bytes, a
 * Date ~40).
 */
function keptUser(user: User): KeptUser {
  const attributes: Record<string, unknown> = { ...user.$attributes }
  const dates: string[] = []
  for (const [name, value] of Object.entries(attributes)) {
    if (DateTime.isDateTime(value)) {
      attributes[name] = value.toJSDate()
      dates.push(name)
    }
  }
  return {
    attributes: Object.freeze(attributes),
    dates,
    extras: Object.freeze({ ...user.$extras }),
  }
}

/**
 * A model as `$createFromAdapterResult` would build it from the same row,
 * without consuming the row again (each column through Lucid's proxy, its
 * originals deep-merged by lodash): that was 9% of the web process's busy
 * time in a profile of signed-in reads (BENCHMARKS.md, log 63). Its dates
 * are made again (half a microsecond each); every other column of a user
 * is a string, a number or null, so a caller changing its model changes
 * its own copies only.
 */
function freshUser({ attributes, dates, extras }: KeptUser) {
  const own: Record<string, unknown> = { ...attributes }
  for (const name of dates) own[name] = DateTime.fromJSDate(attributes[name] as Date)
  const user = new User()
  user.$attributes = own
  user.$original = { ...own }
  user.$extras = { ...extras }
  user.$isPersisted = true
  user.$isLocal = false
  return user
}
