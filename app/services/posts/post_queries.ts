import db from '@adonisjs/lucid/services/db'
import Post, { type PostData, type PostRow } from '#models/post'
import { DEFAULT_PAGE_LIMIT, pageQuery, type PageRequest } from '#helpers/page'

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

/**
 * The first page of each user's posts, as profiles show it (app/cache/stores.ts
 * `latestPosts`; postsOf's first page, its extra row included), for several
 * users in one round trip: one index range each, joined by UNION ALL. From
 * the primary, as it gets cached. Every user asked has a list, empty or not.
 */
export async function latestPostsOfMany(userIds: number[]): Promise<Map<number, PostData[]>> {
  const range = `(SELECT * FROM ${Post.table} WHERE user_id = ? ORDER BY id DESC LIMIT ${DEFAULT_PAGE_LIMIT + 1})`
  const sql = userIds.map(() => range).join(' UNION ALL ')
  const [rows]: [PostRow[]] = await db.rawQuery(sql, userIds, { mode: 'write' })
  const lists = new Map(userIds.map((id) => [id, [] as PostData[]]))
  for (const row of rows) lists.get(row.user_id)!.push(Post.dataOf(row))
  return lists
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
