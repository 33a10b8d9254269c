import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Profile from '#models/profile'
import { CacheStores } from '#cache/stores'
import { publicUserData, userDataFor, type PublicUserData } from '#presenters/user_presenter'

export type { PublicUserData }

/**
 * The read path for user data. The public part of each user (never the
 * email) is kept in process memory (app/cache/stores.ts `publicUsers`); a
 * change to the user or its profile drops it on every replica
 * (CacheInvalidation.user, from app/listeners/user_listener.ts). What only
 * the owner sees is added per request, after the cache.
 */
@inject()
export class UserDirectory {
  constructor(private stores: CacheStores) {}

  /**
   * A user's public data, or null when there is no such user (not kept: its
   * id may be taken next) or the moderators suspended them: their profile,
   * and the posts every list attaches this data to, are then shown to nobody.
   */
  publicData(userId: number): Promise<PublicUserData | null> {
    return this.stores.publicUsers.getOrLoadBatched(userId, this.loadMany)
  }

  /** The public data of each of `userIds` that exists, in one query for those not kept. */
  publicDataOf(userIds: number[]): Promise<Map<number, PublicUserData>> {
    return this.stores.publicUsers.getOrLoadMany(userIds, this.loadMany)
  }

  /** The data `viewer` may see of user `userId` (app/presenters/user_presenter.ts). */
  async dataFor(userId: number, viewer?: User | null) {
    const data = await this.publicData(userId)
    return data && userDataFor(data, viewer)
  }

  /**
   * The ids of the users named (lowercase names; mentions in text), in one
   * query. The column's collation also matches accents loosely: only names
   * equal but for case count.
   */
  async idsByUsername(names: string[]): Promise<Map<string, number>> {
    const wanted = new Set(names)
    const rows: { id: number; username: string }[] = await db
      .from('users')
      .whereIn('username', names)
      .select('id', 'username')
    const ids = new Map<string, number>()
    for (const row of rows) {
      const name = row.username.toLowerCase()
      if (wanted.has(name)) ids.set(name, row.id)
    }
    return ids
  }

  /**
   * One query (user JOIN profile), hydrated into the models so that the
   * serialization stays theirs. An arrow, bound once: the misses of one
   * turn share a batch (LocalStore.getOrLoadBatched).
   */
  private loadMany = async (userIds: number[]) => {
    // The primary: a lagging replica would put an old row in the cache.
    const rows = await db
      .query({ mode: 'write' })
      .from('users')
      .join('profiles', 'profiles.user_id', 'users.id')
      .whereIn('users.id', userIds)
      // A suspended user is absent to everyone until unsuspended (CONTRACT.md).
      .whereNull('users.suspended_at')
      .select(
        'users.*',
        'profiles.id as profile__id',
        'profiles.user_id as profile__user_id',
        'profiles.profile_picture as profile__profile_picture',
        'profiles.bio as profile__bio',
        'profiles.created_at as profile__created_at',
        'profiles.updated_at as profile__updated_at'
      )

    const found = new Map<number, PublicUserData>()
    for (const row of rows) {
      const userRow: Record<string, unknown> = {}
      const profileRow: Record<string, unknown> = {}
      for (const [column, value] of Object.entries(row)) {
        if (column.startsWith('profile__')) profileRow[column.slice(9)] = value
        else userRow[column] = value
      }
      const user = User.$createFromAdapterResult(userRow)!
      user.$setRelated('profile', Profile.$createFromAdapterResult(profileRow)!)
      found.set(user.id, deepFreeze(plain(publicUserData(user))))
    }
    return found
  }
}

/**
 * The same data as plain objects of one shape. Lucid's serialization
 * builds the nested profile so that, once frozen, each kept user had a
 * hidden class of its own (a heap snapshot under load: ~200 bytes each,
 * 12,000 classes for 12,000 users); parsed JSON shares them.
 */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value))
}

/** Cached values are shared by every request of the process: make them read-only. */
function deepFreeze<T>(value: T): T {
  for (const child of Object.values(value as object)) {
    if (child && typeof child === 'object') deepFreeze(child)
  }
  return Object.freeze(value)
}
