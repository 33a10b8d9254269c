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

/** How many posts the home page shows visitors. */
export const RECENT_PUBLIC_POSTS = 10

/**
 * The newest posts anyone may see, for the home page's visitors: the one
 * query that decides which posts are public. From the primary, as it gets
 * cached (app/cache/stores.ts `recentPublicPosts`).
 */
export async function recentPublicPosts(): Promise<PostData[]> {
  const rows: PostRow[] = await db
    .query({ mode: 'write' })
    .from(Post.table)
    .where('audience', 'public')
    .orderBy('id', 'desc')
    .limit(RECENT_PUBLIC_POSTS)
  return rows.map(Post.dataOf)
}
