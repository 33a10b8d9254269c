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

/** How many users' ranges one latestPostsOfMany query joins. */
const RANGES_PER_QUERY = 100

/**
 * The first page of each user's posts, as profiles show it (app/cache/stores.ts
 * `latestPosts`; postsOf's first page, its extra row included), for several
 * users in one round trip per hundred: one index range each, joined by
 * UNION ALL. From the primary, as it gets cached. Every user asked has a
 * list, empty or not.
 */
export async function latestPostsOfMany(userIds: number[]): Promise<Map<number, PostData[]>> {
  const range = `(SELECT * FROM ${Post.table} WHERE user_id = ? ORDER BY id DESC LIMIT ${DEFAULT_PAGE_LIMIT + 1})`
  const chunks: number[][] = []
  for (let start = 0; start < userIds.length; start += RANGES_PER_QUERY) {
    chunks.push(userIds.slice(start, start + RANGES_PER_QUERY))
  }
  const lists = new Map(userIds.map((id) => [id, [] as PostData[]]))
  await Promise.all(
    chunks.map(async (chunk) => {
      const sql = chunk.map(() => range).join(' UNION ALL ')
      const [rows]: [PostRow[]] = await db.rawQuery(sql, chunk, { mode: 'write' })
      for (const row of rows) lists.get(row.user_id)!.push(Post.dataOf(row))
    })
  )
  // A UNION's rows come in no promised order: newest first, as postsOf gives them.
  for (const list of lists.values()) list.sort((a, b) => b.id - a.id)
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
