import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { CacheStores, type AccessTokenRow, type UserRow } from '#cache/stores'
import { relationsOf } from '#services/friends/friendship_queries'
import { likedPostIdsOf } from '#services/likes/like_queries'

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

  /** A fresh model of user `id` (callers may change it), or null. */
  async user(id: number) {
    const row = await this.stores.signedInUsers.getOrLoad(id, async () => {
      const found = await db.query({ mode: 'write' }).from(User.table).where('id', id).first()
      return found ? (Object.freeze(found) as UserRow) : null
    })
    return row ? User.$createFromAdapterResult({ ...row })! : null
  }

  /** How user `id` stands with everyone (app/services/friends/friendship_queries.ts). */
  async relations(id: number) {
    return (await this.stores.relations.getOrLoad(id, () => relationsOf(id)))!
  }

  /** The ids of the posts user `id` likes, sorted (app/services/likes/like_queries.ts). */
  async likedPosts(id: number) {
    return (await this.stores.likedPosts.getOrLoad(id, () => likedPostIdsOf(id)))!
  }

  /** This process only: a cached row that turned out to be another token's. */
  dropToken(id: number) {
    this.stores.tokens.delete(id)
  }
}
