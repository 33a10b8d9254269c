import cache from '@adonisjs/cache/services/main'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import type { BentoCache } from '@adonisjs/cache'
import { HotMap } from '#helpers/hot_map'
import { dropEverywhere, onDroppedKeys, type BusEvents } from '#helpers/cache_bus'
import User from '#models/user'

/** An `auth_access_tokens` row as the tokens provider reads it. */
export type AccessTokenRow = Readonly<Record<string, any> & { id: number; tokenable_id: number }>
type UserRow = Readonly<Record<string, unknown>>

/**
 * How long a verified token or a signed-in user is trusted without asking
 * MySQL. Revocation does not wait for it: the bus drops the copy on every
 * replica at once. It bounds what a lost bus message could cost.
 */
const TTL_MS = 60_000
const MAX_ENTRIES = 20_000
/** `last_used_at` is written at most this often per token and process. */
export const TOUCH_INTERVAL_MS = 60_000

const TOKEN_KEY = /^tokens:(\d+)$/
const USER_KEY = /^users:(\d+):public$/
const AUTH_KEY = /^users:(\d+):auth$/
const RELATIONS_KEY = /^users:(\d+):relations$/

/**
 * Who a user is friends with (sorted ids) and their pending requests (by
 * the other user's id): enough to tell how they stand with anyone.
 */
export interface RelationsSnapshot {
  friends: Int32Array
  pending: Map<number, { id: number; sent: boolean }>
}

/**
 * What every signed-in request needs before its own work: the bearer
 * token's row, the user's row and how they stand with others, kept in
 * process memory. A change to the user drops their row (the user
 * directory's forget); a sign-out, a password change or reset and an
 * account deletion drop their tokens (forgetToken, forgetUser); here and,
 * through the cache's Redis bus, on every other replica, so a revoked token
 * stops working everywhere within the bus's delay (milliseconds).
 *
 * Redis holds no copy: a miss costs one SELECT by primary key, as a Redis
 * read would, and there is no second copy to revoke.
 */
export class SignedInUsers {
  #tokens = new HotMap<number, { row: AccessTokenRow; touchedAt: number }>(
    'tokens',
    MAX_ENTRIES,
    TTL_MS
  )
  #users = new HotMap<number, UserRow>('signed-in users', MAX_ENTRIES, TTL_MS)
  #relations = new HotMap<number, RelationsSnapshot>('relations', MAX_ENTRIES, TTL_MS)
  #listening = false
  /**
   * When each user's tokens were last dropped (a counter, not a time): a
   * token row loaded while its user's tokens were being dropped (a password
   * change) is answered but not kept.
   */
  #drops = 0
  #dropFloor = 0
  #userDroppedAt = new Map<number, number>()

  /** Tests pass another cache, and the emitter its bus reports to, to play a second replica. */
  constructor(
    private store: Pick<BentoCache<any>, 'delete' | 'use'> = cache,
    events: BusEvents = emitter
  ) {
    onDroppedKeys(
      events,
      [
        [TOKEN_KEY, (id) => this.#tokens.delete(id)],
        [USER_KEY, (id) => this.dropUser(id)],
        [AUTH_KEY, (id) => this.dropUserAndTokens(id)],
        [RELATIONS_KEY, (id) => this.#relations.delete(id)],
      ],
      () => this.dropAll()
    )
  }

  /**
   * The row of token `id` (null when there is none), and whether its
   * `last_used_at` is due for a write: true at most once a minute.
   */
  async token(id: number, table: string) {
    this.#listen()
    const started = this.#drops
    const fresh = ({ row }: { row: AccessTokenRow }) =>
      Math.max(this.#dropFloor, this.#userDroppedAt.get(row.tokenable_id) ?? 0) <= started
    const entry = await this.#tokens.getOrLoad(
      id,
      async () => {
        // The primary: a lagging replica could still hold a revoked token.
        const row = await db.query({ mode: 'write' }).from(table).where('id', id).first()
        return row ? { row: Object.freeze(row) as AccessTokenRow, touchedAt: 0 } : null
      },
      fresh
    )
    if (!entry) return null
    const now = Date.now()
    const touch = now - entry.touchedAt >= TOUCH_INTERVAL_MS
    if (touch) entry.touchedAt = now
    return { row: entry.row, touch }
  }

  /** A fresh model of user `id` (callers may change it), or null. */
  async user(id: number) {
    this.#listen()
    const row = await this.#users.getOrLoad(id, async () => {
      const found = await db.query({ mode: 'write' }).from(User.table).where('id', id).first()
      return found ? (Object.freeze(found) as UserRow) : null
    })
    return row ? User.$createFromAdapterResult({ ...row })! : null
  }

  /**
   * How user `id` stands with everyone: two index range reads (their
   * friendships, their pending requests either way), kept until a change
   * between them and anyone drops it (forgetRelations).
   */
  async relations(id: number) {
    this.#listen()
    return (await this.#relations.getOrLoad(id, async () => {
      const primary = () => db.query({ mode: 'write' })
      const [friends, sent, received] = await Promise.all([
        primary().from('friendships').where('user_id', id).select('friend_id'),
        primary()
          .from('friend_requests')
          .where({ sender_id: id, status: 'pending' })
          .select('id', 'receiver_id as other'),
        primary()
          .from('friend_requests')
          .where({ receiver_id: id, status: 'pending' })
          .select('id', 'sender_id as other'),
      ])
      const pending = new Map<number, { id: number; sent: boolean }>()
      for (const row of sent) pending.set(row.other, { id: row.id, sent: true })
      for (const row of received) pending.set(row.other, { id: row.id, sent: false })
      return {
        friends: Int32Array.from(friends, (row: { friend_id: number }) => row.friend_id).sort(),
        pending,
      }
    }))!
  }

  /** A friend request or friendship between users changed: their snapshots go, everywhere. */
  async forgetRelations(...userIds: number[]) {
    for (const id of userIds) this.#relations.delete(id)
    await Promise.all(userIds.map((id) => this.#publish(`users:${id}:relations`, { userId: id })))
    for (const id of userIds) this.#relations.delete(id)
  }

  /** This process only. */
  dropToken(id: number) {
    this.#tokens.delete(id)
  }

  /** A revoked token: dropped here, then on every replica. */
  async forgetToken(id: number) {
    this.#tokens.delete(id)
    await this.#publish(`tokens:${id}`, { tokenId: id })
  }

  /**
   * Every token and the cached row of a user, here and on every replica,
   * before the change that ends them answers: a password change or reset
   * and an account deletion (AccountsService), or any code that deletes
   * tokens in SQL rather than through the tokens provider.
   */
  async forgetUser(userId: number) {
    this.dropUserAndTokens(userId)
    await this.#publish(`users:${userId}:auth`, { userId })
    this.dropUserAndTokens(userId)
  }

  /**
   * This process only: the user's row, which the user directory drops with
   * their public data whenever the user, their profile or their page changes.
   */
  dropUser(userId: number) {
    this.#users.delete(userId)
  }

  dropUserAndTokens(userId: number) {
    if (this.#userDroppedAt.size >= MAX_ENTRIES) {
      this.#dropFloor = this.#drops + 1
      this.#userDroppedAt.clear()
    }
    this.#userDroppedAt.set(userId, ++this.#drops)
    this.#users.delete(userId)
    this.#tokens.deleteWhere((entry) => entry.row.tokenable_id === userId)
  }

  dropAll() {
    this.#users.clear()
    this.#tokens.clear()
    this.#relations.clear()
  }

  /**
   * Bentocache subscribes to the bus when its store is first used: this
   * process must hear revocations before it caches anything, even when no
   * request has read through the cache yet.
   */
  #listen() {
    if (this.#listening) return
    this.#listening = true
    this.store.use()
  }

  #publish(key: string, context: object) {
    return dropEverywhere(this.store, key, 'signed-in cache', context)
  }
}

/** The app's signed-in cache, on the app's cache bus. */
export const signedInUsers = new SignedInUsers()
