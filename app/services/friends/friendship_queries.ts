import { createHash } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import NotFoundException from '#exceptions/not_found_exception'
import { primary } from '#helpers/primary'
import { pageQuery, type PageRequest } from '#helpers/page'
import type { RelationsSnapshot } from '#cache/stores'

/*
| How users stand with each other, read in one place: the home feed, the
| friendships service and the signed-in cache (app/cache/stores.ts
| `relations`) call these. Writes stay in the friendships service.
*/

/** Where a read goes: the primary when it decides what happens next (a replica may lag). */
type Mode = 'read' | 'write'
const from = (table: string, mode: Mode) => db.query({ mode }).from(table)

/** The ids of user `userId`'s friends, ascending (one index range on the primary key). */
export async function friendIdsOf(userId: number, mode: Mode = 'read'): Promise<number[]> {
  const rows = await from('friendships', mode)
    .where('user_id', userId)
    .orderBy('friend_id')
    .select('friend_id')
  return rows.map((row: { friend_id: number }) => Number(row.friend_id))
}

/** The friends' ids of each of `userIds` (one query, on the primary: it is kept). */
export async function friendIdsOfMany(userIds: number[]): Promise<Map<number, number[]>> {
  const friends = new Map<number, number[]>(userIds.map((id) => [id, []]))
  if (!userIds.length) return friends
  const rows = await from('friendships', 'write')
    .whereIn('user_id', userIds)
    .select('user_id', 'friend_id')
  for (const row of rows) friends.get(Number(row.user_id))?.push(Number(row.friend_id))
  return friends
}

/** A page of user `userId`'s friends' ids (the friend's id is the page's key). */
export function friendIdsPage(userId: number, page: PageRequest): Promise<{ id: number }[]> {
  const query = db.from('friendships').where('user_id', userId).select('friend_id as id')
  return pageQuery(query, page, 'friend_id')
}

export interface FriendSet {
  ids: number[]
  /** One per friendship, `<friend id>@<since, ms>`: what a timeline records it covers. */
  tokens: string[]
  /** Names the whole set, so a timeline knows when it was built for another one. */
  print: string
}

/**
 * A user's friendships with their dates, for the home feed's timelines: the
 * dates are part of the tokens, since unfriending and befriending again is
 * a change too (the fan-out of the posts written in between skipped them).
 */
export async function friendSetOf(userId: number, mode: Mode = 'read'): Promise<FriendSet> {
  const rows = await from('friendships', mode)
    .where('user_id', userId)
    .select('friend_id', 'created_at')
    .orderBy('friend_id')
  const tokens = rows.map((row) => `${row.friend_id}@${new Date(row.created_at).getTime()}`)
  const print = createHash('sha1').update(tokens.join(',')).digest('base64url')
  return { ids: rows.map((row) => Number(row.friend_id)), tokens, print }
}

/**
 * The ids of the users `userId` blocked or was blocked by, ascending: a
 * block hides each from the other (two index range reads).
 */
export async function blockedIdsOf(userId: number, mode: Mode = 'read'): Promise<number[]> {
  const [blocked, blockers] = await Promise.all([
    from('blocks', mode).where('blocker_id', userId).select('blocked_id as id'),
    from('blocks', mode).where('blocked_id', userId).select('blocker_id as id'),
  ])
  const ids = new Set([...blocked, ...blockers].map((row: { id: number }) => Number(row.id)))
  return [...ids].sort((a, b) => a - b)
}

/**
 * Whether a block stands between two users, whoever made it; on the primary
 * (or in a transaction), since it decides a write it forbids.
 */
export async function blockedBetween(
  a: number,
  b: number,
  client: QueryClientContract = primary()
) {
  const blocked = await blockedAmong([[a, b]], client)
  return blocked.size > 0
}

/** How blockedAmong names a pair: the same whichever of the two comes first. */
export const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`)

/**
 * Which of the pairs a block stands between (either way), as pairKey's
 * keys: one query for many pairs (a drain of notifications).
 */
export async function blockedAmong(
  pairs: [number, number][],
  client: QueryClientContract = primary()
): Promise<Set<string>> {
  if (!pairs.length) return new Set()
  const rows: { blocker_id: number; blocked_id: number }[] = await client
    .from('blocks')
    .whereIn(
      ['blocker_id', 'blocked_id'],
      pairs.flatMap(([a, b]) => [
        [a, b],
        [b, a],
      ])
    )
    .select('blocker_id', 'blocked_id')
  return new Set(rows.map((row) => pairKey(row.blocker_id, row.blocked_id)))
}

/**
 * How user `userId` stands with everyone: their friends (and their set's
 * print, FriendSet.print), their pending
 * requests either way, by the other user's id, and blocks either way. Index
 * range reads on the primary, since they decide what the viewer may do and see.
 */
export async function relationsOf(userId: number): Promise<RelationsSnapshot> {
  const [friends, sent, received, blocked] = await Promise.all([
    friendSetOf(userId, 'write'),
    from('friend_requests', 'write')
      .where({ sender_id: userId, status: 'pending' })
      .select('id', 'receiver_id as other'),
    from('friend_requests', 'write')
      .where({ receiver_id: userId, status: 'pending' })
      .select('id', 'sender_id as other'),
    blockedIdsOf(userId, 'write'),
  ])
  const pending = new Map<number, { id: number; sent: boolean }>()
  for (const row of sent) pending.set(row.other, { id: row.id, sent: true })
  for (const row of received) pending.set(row.other, { id: row.id, sent: false })
  return {
    friends: Int32Array.from(friends.ids),
    friendsPrint: friends.print,
    pending,
    blocked: Int32Array.from(blocked),
  }
}

/** Rows changed by an UPDATE or DELETE, whatever shape the driver answers in. */
export function affectedRows(result: unknown) {
  return Array.isArray(result) ? Number(result[0]) : Number(result)
}

/**
 * Marks the friend sets of `userIds` changed, in the transaction that made
 * or ended their friendship: each gets a value no other change has
 * (UUID_SHORT()), which the fan-out's kept friend lists are checked
 * against (app/services/friends/friend_lists.ts). Every write to
 * `friendships` goes with one.
 */
export async function friendSetsChanged(client: QueryClientContract, userIds: number[]) {
  await client.rawQuery('UPDATE users SET friends_version = UUID_SHORT() WHERE id IN (?)', [
    userIds,
  ])
}

/**
 * Changes between two people (a friend request, a block) run one at a
 * time: both users' rows are locked, always in id order so that two such
 * changes never deadlock, which also proves `otherId` exists (else a 404).
 * Record locks only: no gap is locked.
 */
export async function lockPair(userId: number, otherId: number, trx: TransactionClientContract) {
  const rows = await trx
    .from('users')
    .whereIn('id', [userId, otherId])
    .orderBy('id')
    .select('id')
    .forUpdate()
  if (!rows.some((row) => row.id === otherId)) {
    throw NotFoundException.saying('No user with this id')
  }
}
