import db from '@adonisjs/lucid/services/db'

/**
 * The most likes a user's kept list holds: 20 KB. Someone who likes more
 * is asked per page instead (likedPostIdsAmong), since each of their likes would
 * load the whole list again.
 */
export const KEPT_LIKES_MAX = 5000

/**
 * The ids of the posts user `userId` likes, ascending, or null past
 * KEPT_LIKES_MAX: one range of `likes_user_id_index` (which holds the post
 * ids too), on the primary, as a like just made must show. SignedInUsers
 * keeps them for every post list's `liked`.
 */
export async function likedPostIdsOf(userId: number): Promise<Int32Array | null> {
  const rows: { post_id: number }[] = await db
    .query({ mode: 'write' })
    .from('likes')
    .where('user_id', userId)
    .orderBy('post_id')
    .limit(KEPT_LIKES_MAX + 1)
    .select('post_id')
  return rows.length > KEPT_LIKES_MAX ? null : Int32Array.from(rows, (row) => row.post_id)
}

/** Which of `postIds` user `userId` likes: one query for a page. */
export async function likedPostIdsAmong(userId: number, postIds: number[]): Promise<Set<number>> {
  const rows: { post_id: number }[] = await db
    .query({ mode: 'write' })
    .from('likes')
    .where('user_id', userId)
    .whereIn('post_id', postIds)
    .select('post_id')
  return new Set(rows.map((row) => row.post_id))
}
