import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import Post, { type PostData, type PostRow } from '#models/post'
import { unlinkMatching } from '#services/posts/timeline_store'

/** `v3`: entries carry the counts, the audience and edited_at (older ones expire unread). */
const key = (postId: number) => `post:v3:${postId}`
/** What a deleted post's key holds, so that no reader can put the post back. */
const GONE = '-'
const TTL_SECONDS = 3600

/**
 * Posts by id, for the feed, the post page and the API: Redis first (one
 * MGET, shared by every replica), MySQL for the misses. Misses are filled
 * with SET NX; a change replaces the entry outright (SET) with the row as
 * committed, or a tombstone once the row is gone. So a reader that loaded a
 * row before the change committed can never write the old row back: its NX
 * fill finds the newer entry. With Redis away, every read goes to MySQL.
 * Changes come through CacheInvalidation.post only.
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

  /**
   * After a change to the post has committed (a new post is filled by its
   * first reader): the row as the primary holds it now, or a tombstone.
   * Changes of one post can come close together (likes): two refreshes may
   * set their rows in the other order than they read them, so each reads
   * the row again after setting it and sets again while it has changed.
   * The last change's own refresh reads after it committed, so the entry
   * ends as the last committed row. A refresh still racing after two
   * rounds deletes the entry instead: the next reader fills it. A change
   * that read the row under its lock (a like, a comment) hands it over as
   * `committed`, which saves the first read.
   */
  async refresh(postId: number, committed?: PostData) {
    let value = committed ? JSON.stringify(committed) : await this.#committed(postId)
    for (let round = 0; round < 2; round++) {
      await redis.set(key(postId), value, 'EX', TTL_SECONDS)
      const now = await this.#committed(postId)
      if (now === value) return
      value = now
    }
    await redis.del(key(postId))
  }

  async #committed(postId: number) {
    const row: PostRow | null = await db
      .query({ mode: 'write' })
      .from(Post.table)
      .where('id', postId)
      .first()
    return row ? JSON.stringify(Post.dataOf(row)) : GONE
  }

  /** Empties the cache: after a database restore, post ids start again. */
  async dropAll() {
    await unlinkMatching(redis.connection().ioConnection, 'post:*')
  }
}
