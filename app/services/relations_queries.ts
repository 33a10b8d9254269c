import db from '@adonisjs/lucid/services/db'
import type { RelationsSnapshot } from '#cache/stores'

// The primary: these reads decide what a viewer may do next, and a
// lagging replica could miss a request just sent.
const primary = () => db.query({ mode: 'write' })

/** The ids of user `userId`'s friends, sorted (one index range on the primary key). */
export async function friendIdsOf(userId: number) {
  const rows = await primary().from('friendships').where('user_id', userId).select('friend_id')
  return Int32Array.from(rows, (row: { friend_id: number }) => row.friend_id).sort()
}

/**
 * How user `userId` stands with everyone: their friends and their pending
 * requests either way, by the other user's id. Three index range reads.
 */
export async function relationsOf(userId: number): Promise<RelationsSnapshot> {
  const [friends, sent, received] = await Promise.all([
    friendIdsOf(userId),
    primary()
      .from('friend_requests')
      .where({ sender_id: userId, status: 'pending' })
      .select('id', 'receiver_id as other'),
    primary()
      .from('friend_requests')
      .where({ receiver_id: userId, status: 'pending' })
      .select('id', 'sender_id as other'),
  ])
  const pending = new Map<number, { id: number; sent: boolean }>()
  for (const row of sent) pending.set(row.other, { id: row.id, sent: true })
  for (const row of received) pending.set(row.other, { id: row.id, sent: false })
  return { friends, pending }
}
