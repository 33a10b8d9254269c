import db from '@adonisjs/lucid/services/db'
import Post, { type PostData, type PostRow } from '#models/post'
import { pageQuery, type PageRequest } from '#helpers/page'

/**
 * One page of user `userId`'s posts, newest first (one index range). The
 * primary for a page that gets cached: a lagging replica would keep an old list.
 */
export async function postsOf(
  userId: number,
  page: PageRequest,
  mode: 'read' | 'write' = 'read'
): Promise<PostData[]> {
  const query = db.query({ mode }).from(Post.table).where('user_id', userId)
  const rows: PostRow[] = await pageQuery(query, page)
  return rows.map(Post.dataOf)
}

/** The first page of user `userId`'s posts, as profiles show it (app/cache/stores.ts `latestPosts`). */
export function latestPostsOf(userId: number) {
  return postsOf(userId, {}, 'write')
}
