import db from '@adonisjs/lucid/services/db'
import { forgetRelations } from '#tests/friends'
import { primary } from '#helpers/primary'
import { friendSetsChanged } from '#services/friends/friendship_queries'

/** A small deterministic RNG (mulberry32): the same seed, the same graph. */
export function seededRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  }
}

/**
 * Users with profiles, written in bulk (no hashing, no welcome email): for
 * tests and measurements that need hundreds of them. Returns their ids.
 */
export async function insertUsers(count: number, tag: string) {
  const now = new Date()
  const rows = Array.from({ length: count }, (_, index) => ({
    username: `${tag}_${index}`,
    email: `${tag}_${index}@example.com`,
    first_name: 'User',
    last_name: String(index),
    password: 'not-a-hash',
    email_verified_at: now,
    created_at: now,
    updated_at: now,
  }))
  for (let start = 0; start < rows.length; start += 500) {
    await db.table('users').multiInsert(rows.slice(start, start + 500))
  }
  const users = await db.from('users').where('username', 'like', `${tag}\\_%`).select('id')
  const ids = users.map((row) => Number(row.id)).sort((a, b) => a - b)
  await db
    .table('profiles')
    .multiInsert(
      ids.map((userId) => ({ user_id: userId, bio: '', created_at: now, updated_at: now }))
    )
  return ids
}

/** Both rows of each friendship, in one INSERT per 500 pairs. */
export async function befriend(pairs: [number, number][], at = new Date()) {
  const rows = pairs.flatMap(([a, b]) => [
    { user_id: a, friend_id: b, created_at: at },
    { user_id: b, friend_id: a, created_at: at },
  ])
  for (let start = 0; start < rows.length; start += 1000) {
    await db.table('friendships').multiInsert(rows.slice(start, start + 1000))
  }
  // As the friendships service marks each change (the fan-out's kept lists check it).
  const users = [...new Set(pairs.flat())]
  for (let start = 0; start < users.length; start += 1000) {
    await friendSetsChanged(primary(), users.slice(start, start + 1000))
  }
  await forgetRelations()
}

/** Post rows in bulk (one INSERT per 500); returns their ids in the order given. */
export async function insertPosts(authorIds: number[]) {
  const ids: number[] = []
  for (let start = 0; start < authorIds.length; start += 500) {
    const now = new Date()
    const batch = authorIds.slice(start, start + 500)
    // One multi-row INSERT takes consecutive ids (InnoDB's auto-increment lock).
    const [first] = await db.table('posts').multiInsert(
      batch.map((userId) => ({
        user_id: userId,
        text: `by ${userId}`,
        created_at: now,
        updated_at: now,
      }))
    )
    ids.push(...batch.map((_, index) => Number(first) + index))
  }
  return ids
}
