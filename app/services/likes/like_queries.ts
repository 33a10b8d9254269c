import db from '@adonisjs/lucid/services/db'

/**
 * The ids of the posts user `userId` likes, ascending: one range of
 * `likes_user_id_index` (which holds the post ids too), on the primary, as
 * a like just made must show. SignedInUsers keeps them for every post
 * list's `liked`.
 */
export async function likedPostIdsOf(userId: number): Promise<Int32Array> {
  const rows: { post_id: number }[] = await db
    .query({ mode: 'write' })
    .from('likes')
    .where('user_id', userId)
    .orderBy('post_id')
    .select('post_id')
  return Int32Array.from(rows, (row) => row.post_id)
}
