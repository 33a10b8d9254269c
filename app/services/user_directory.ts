import cache from '@adonisjs/cache/services/main'
import emitter from '@adonisjs/core/services/emitter'
import { dropEverywhere, onDroppedKeys, type BusEvents } from '#helpers/cache_bus'
import { HotMap } from '#helpers/hot_map'
import type { BentoCache } from '@adonisjs/cache'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Profile from '#models/profile'
import { signedInUsers } from '#services/signed_in_users'
import { publicUserData, userDataFor, type PublicUserData } from '#presenters/user_presenter'

export type { PublicUserData }

const key = (userId: number) => `users:${userId}:public`
const KEY_PATTERN = /^users:(\d+):public$/

/**
 * The in-process front: how many users, and for how long (about 1 KB each;
 * rendered pages are kept apart, app/services/public_pages.ts). With reads
 * spread like real traffic over 100,000 users, 50,000 instead of 20,000
 * took the anonymous read from 0.82× to 1.03× its floor (`npm run bench`).
 */
const HOT_MAX_ENTRIES = 50_000
const HOT_TTL_MS = 60_000

/**
 * The read path for user data. The public part of each user (never the
 * email) is cached in memory and Redis; a change to the user or its
 * profile drops it on every replica (app/listeners/user_listener.ts). What
 * only the owner sees is added per request, after the cache.
 */
export class UserDirectory {
  /**
   * A plain Map in front of bentocache: a bentocache hit costs ids, option
   * objects, events and a JSON.parse, about a quarter of the hot read's CPU
   * (npm run bench, --cpu-prof). It is dropped with bentocache's own memory
   * layer: by forget() here, and by the Redis bus for other replicas.
   */
  #hot = new HotMap<number, PublicUserData>('public user data', HOT_MAX_ENTRIES, HOT_TTL_MS)

  /** Tests pass another cache, and the emitter its bus reports to, to play a second replica. */
  constructor(
    private store: Pick<BentoCache<any>, 'getOrSet' | 'delete'> = cache,
    events: BusEvents = emitter
  ) {
    onDroppedKeys(events, [[KEY_PATTERN, (id) => this.#hot.delete(id)]], () => this.#hot.clear())
  }

  /** A user's public data, or null when there is no such user. */
  async publicData(userId: number): Promise<PublicUserData | null> {
    return this.#hot.getOrLoad(userId, () => this.#fromCache(userId))
  }

  async #fromCache(userId: number): Promise<PublicUserData | null> {
    return this.store.getOrSet({
      key: key(userId),
      factory: async (ctx) => {
        const data = await this.load(userId)
        // A missing user is not cached: its id may be taken next.
        return data ?? ctx.skip()
      },
    }) as Promise<PublicUserData | null>
  }

  /** The data `viewer` may see of user `userId` (app/presenters/user_presenter.ts). */
  async dataFor(userId: number, viewer?: User | null) {
    const data = await this.publicData(userId)
    return data && userDataFor(data, viewer)
  }

  /**
   * Straight from MySQL, past every cache: for processes that do not join
   * the cache bus (the worker), whose cached copies no change would drop.
   */
  uncachedPublicData(userId: number): Promise<PublicUserData | null> {
    return this.load(userId)
  }

  /**
   * Drops the cached data of a user on every replica, with the signed-in
   * cache's copy of their row: the bus message that reaches the other
   * replicas names this key, and they drop both too.
   */
  async forget(userId: number) {
    this.#hot.delete(userId)
    signedInUsers.dropUser(userId)
    await dropEverywhere(this.store, key(userId), 'cached user data', { userId })
    // A read that started before the delete may have refilled it meanwhile.
    this.#hot.delete(userId)
    signedInUsers.dropUser(userId)
  }

  /**
   * One query (user JOIN profile), hydrated into the models so that the
   * serialization stays theirs.
   */
  private async load(userId: number) {
    // The primary: a lagging replica would put an old row in the cache.
    const row = await db
      .query({ mode: 'write' })
      .from('users')
      .join('profiles', 'profiles.user_id', 'users.id')
      .where('users.id', userId)
      .select(
        'users.*',
        'profiles.id as profile__id',
        'profiles.user_id as profile__user_id',
        'profiles.profile_picture as profile__profile_picture',
        'profiles.bio as profile__bio',
        'profiles.created_at as profile__created_at',
        'profiles.updated_at as profile__updated_at'
      )
      .first()
    if (!row) return null

    const userRow: Record<string, unknown> = {}
    const profileRow: Record<string, unknown> = {}
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith('profile__')) profileRow[column.slice(9)] = value
      else userRow[column] = value
    }
    const user = User.$createFromAdapterResult(userRow)!
    user.$setRelated('profile', Profile.$createFromAdapterResult(profileRow)!)
    return deepFreeze(publicUserData(user))
  }
}

/** Cached values are shared by every request of the process: make them read-only. */
function deepFreeze<T>(value: T): T {
  for (const child of Object.values(value as object)) {
    if (child && typeof child === 'object') deepFreeze(child)
  }
  return Object.freeze(value)
}

/** The app's directory, on the app's cache. */
export const userDirectory = new UserDirectory()
