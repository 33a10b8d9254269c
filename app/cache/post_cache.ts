import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import Post, { type PostData, type PostRow } from '#models/post'
import { unlinkMatching } from '#services/timeline_store'

const key = (postId: number) => `post:${postId}`
/** What a deleted post's key holds, so that no reader can put the post back. */
const GONE = '-'
const TTL_SECONDS = 3600

/**
 * Posts by id, for the feed, the post page and the API: Redis first (one
 * MGET, shared by every replica), MySQL for the misses. Misses are filled
 * with SET NX; a write replaces the entry outright (SET) once committed and
 * a delete leaves a tombstone. So a reader that loaded a row before an edit
 * or a delete committed can never write the old row back: its NX fill
 * finds the newer entry. With Redis away, every read goes to MySQL.
 */
export class PostCache {
  async many(ids: number[]): Promise<Map<number, PostData>> {
    const found = new Map<number, PostData>()
    if (!ids.length) return found

    let cached: (string | null)[] | null = null
    try {
      cached = await redis.mget(ids.map(key))
    } catch (error) {
      logger.warn({ err: error }, 'post cache unreachable; reading posts from MySQL')
    }

    const misses: number[] = []
    ids.forEach((id, index) => {
      const entry = cached?.[index]
      if (entry === null || entry === undefined) misses.push(id)
      else if (entry !== GONE) found.set(id, JSON.parse(entry))
    })
    if (!misses.length) return found

    // The primary: a lagging replica would miss a post just written (create
    // fills nothing) or put an edited post's old text in the cache.
    const rows: PostRow[] = await db.query({ mode: 'write' }).from(Post.table).whereIn('id', misses)
    for (const row of rows) found.set(row.id, Post.dataOf(row))
    if (cached) {
      const fill = redis.pipeline()
      for (const row of rows)
        fill.set(key(row.id), JSON.stringify(found.get(row.id)), 'EX', TTL_SECONDS, 'NX')
      await fill.exec().catch(() => {})
    }
    return found
  }

  async get(id: number) {
    const found = await this.many([id])
    return found.get(id) ?? null
  }

  /** After an edit has committed (a new post is filled by its first reader). */
  async put(post: Post) {
    await this.#write(post.id, JSON.stringify(post.toData()))
  }

  /** After a delete has committed. */
  async forget(postId: number) {
    await this.#write(postId, GONE)
  }

  /** Empties the cache: after a database restore, post ids start again. */
  async dropAll() {
    await unlinkMatching(redis.connection().ioConnection, 'post:*')
  }

  async #write(postId: number, value: string) {
    try {
      await redis.set(key(postId), value, 'EX', TTL_SECONDS)
    } catch (error) {
      // Without Redis, readers fall back to MySQL; the entry (if any) expires.
      logger.warn({ err: error, postId }, 'post cache not updated')
    }
  }
}
