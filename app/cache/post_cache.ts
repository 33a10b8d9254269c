import redis from '@adonisjs/redis/services/main'
import type { Redis } from 'ioredis'
import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import Post, { type PostData, type PostRow } from '#models/post'
import { unlinkMatching } from '#services/posts/timeline_store'
import { scriptedRedis } from '#cache/redis_script'

/** `v4`: entries are `<version>:<post JSON>` (older ones expire unread). */
const key = (postId: number) => `post:v4:${postId}`
/** What a deleted post's key holds, so that no reader can put the post back. */
const GONE = '-'
const TTL_SECONDS = 3600

/** A post as a change committed it: its data and its version (`posts.version`). */
export interface CommittedPost {
  data: PostData
  version: number
}

export const committedPost = (row: PostRow): CommittedPost => ({
  data: Post.dataOf(row),
  version: row.version,
})

const entryOf = ({ data, version }: CommittedPost) => `${version}:${JSON.stringify(data)}`
const dataOf = (entry: string): PostData => JSON.parse(entry.slice(entry.indexOf(':') + 1))

/**
 * Sets the entry unless it holds this version or a newer one, or the
 * tombstone: of two refreshes that arrive in the other order than their
 * changes committed, the older leaves the newer in place.
 */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current == '${GONE}' then return 0 end
if current then
  local version = tonumber(string.match(current, '^(%d+):'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`

type ScriptedRedis = Redis & {
  postSetIfNewer(key: string, version: number, entry: string, ttl: number): Promise<number>
}

/**
 * The refreshes of committed posts on their way to Redis, by post id: a
 * refresh of a version that one of them carries already (or a newer one)
 * waits for it instead of sending the same entry again.
 */
const refreshing = new Map<number, { version: number; done: Promise<void> }>()

const scripted = () => scriptedRedis<ScriptedRedis>('postSetIfNewer', 1, SET_IF_NEWER)

/**
 * Posts by id, for the feed, the post page and the API: Redis first (one
 * MGET, shared by every replica), MySQL for the misses. Misses are filled
 * with SET NX; a change replaces the entry with the row as committed (kept
 * only if newer than the entry's: `posts.version`), or a tombstone once the
 * row is gone. So a reader that loaded a row before the change committed
 * can never write the old row back: its NX fill finds the newer entry. With
 * Redis away, every read goes to MySQL. Changes come through
 * CacheInvalidation.post only.
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
      else if (entry !== GONE) found.set(id, dataOf(entry))
    })
    if (!misses.length) return found

    // The primary: a lagging replica would miss a post just written (create
    // fills nothing) or put an edited post's old text in the cache.
    const rows: PostRow[] = await db.query({ mode: 'write' }).from(Post.table).whereIn('id', misses)
    for (const row of rows) found.set(row.id, Post.dataOf(row))
    if (cached) {
      const fill = redis.pipeline()
      for (const row of rows)
        fill.set(key(row.id), entryOf(committedPost(row)), 'EX', TTL_SECONDS, 'NX')
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
   * first reader): the row as that change committed it (`committed`, when
   * the change read it under the post's lock: a like, a comment), else as
   * the primary holds it now, or a tombstone once it is gone. Changes of one
   * post can come close together (likes) and their refreshes arrive in any
   * order: the entry keeps the highest version it was given.
   */
  refresh(postId: number, committed?: CommittedPost): Promise<void> {
    if (!committed) return this.#refresh(postId)
    // The likes of one batch commit one version of their post: one refresh carries it.
    const sending = refreshing.get(postId)
    if (sending && sending.version >= committed.version) return sending.done
    const done = this.#refresh(postId, committed).finally(() => {
      if (refreshing.get(postId)?.done === done) refreshing.delete(postId)
    })
    refreshing.set(postId, { version: committed.version, done })
    return done
  }

  async #refresh(postId: number, committed?: CommittedPost) {
    const post = committed ?? (await this.#committed(postId))
    if (!post) {
      await redis.set(key(postId), GONE, 'EX', TTL_SECONDS)
      return
    }
    await scripted().postSetIfNewer(key(postId), post.version, entryOf(post), TTL_SECONDS)
  }

  async #committed(postId: number) {
    const row: PostRow | null = await db
      .query({ mode: 'write' })
      .from(Post.table)
      .where('id', postId)
      .first()
    return row && committedPost(row)
  }

  /** Empties the cache: after a database restore, post ids start again. */
  async dropAll() {
    await unlinkMatching(redis.connection().ioConnection, 'post:*')
  }
}
