import type { ChainableCommander, Redis } from 'ioredis'
import feedConfig from '#config/feed'
import { scriptedRedis } from '#cache/redis_script'

/*
| Three keys per user:
|   feed:<id>          sorted set of post ids (score = id), newest kept, at most `capacity`
|   feed:<id>:meta     hash: `floor` (the set holds every post of the covered authors with an
|                      id above it; older pages come from MySQL) and `fp` (fingerprint of the
|                      friend set it was last reconciled with). Its presence means "built".
|   feed:<id>:authors  set of the friendships (`<friend id>@<since>`) whose posts it holds
| and an index of the timelines that may be built, so that a fan-out writes only those
| (most of an author's friends have not read their feed this week): one bitmap by user id
| per idle period (a week), a user's bit set in the period of each read or build:
|   feed:built:<period>
| A timeline lives one idle period past its last read, so a built one has its bit in the
| current period or the one before. A fan-out reads whole bitmaps (12.5 KB per 100,000
| users) and tests its thousands of readers itself, with no per-reader Redis argument.
*/
export const timelineKey = (userId: number) => `feed:${userId}`
const metaKey = (userId: number) => `feed:${userId}:meta`
const authorsKey = (userId: number) => `feed:${userId}:authors`
const builtKey = (period: number) => `feed:built:${period}`

/** A user's bit in a bitmap as Redis numbers them (the high bit of byte 0 is bit 0). */
const hasBit = (bitmap: Buffer, userId: number) =>
  ((bitmap[userId >> 3] ?? 0) & (0x80 >> (userId & 7))) !== 0

/**
 * Adds post ids to a built timeline (a missing one is left to be rebuilt
 * from MySQL when read), trims it to its capacity and raises its floor past
 * what was trimmed. ARGV: capacity, idle TTL, a floor to raise to at least
 * (0: none), then the ids.
 */
const ADD_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local floor = tonumber(redis.call('HGET', KEYS[2], 'floor') or '0')
local atLeast = tonumber(ARGV[3])
if atLeast > floor then
  floor = atLeast
  redis.call('HSET', KEYS[2], 'floor', floor)
end
for i = 4, #ARGV do
  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i])
end
local cap = tonumber(ARGV[1])
local size = redis.call('ZCARD', KEYS[1])
if size > cap then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, size - cap - 1)
  local lowest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0)[1])
  if lowest - 1 > floor then redis.call('HSET', KEYS[2], 'floor', lowest - 1) end
end
if #ARGV >= 4 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
`

type ScriptedRedis = Redis & {
  timelineAdd(
    timeline: string,
    meta: string,
    capacity: number,
    ttl: number,
    atLeastFloor: number,
    ...ids: number[]
  ): Promise<number>
}

const connection = () => scriptedRedis<ScriptedRedis>('timelineAdd', 2, ADD_SCRIPT)

/** The upper bound of a range of ids below `before` (exclusive), or all of them. */
const bound = (before: number | undefined) => (before === undefined ? '+inf' : `(${before}`)

export interface TimelineState {
  floor: number
  fingerprint: string
}

/**
 * The Redis side of home timelines: every read and write of the three keys
 * goes through here.
 */
export class TimelineStore {
  // Read at each call, so a test can shrink the capacity.
  get #capacity() {
    return feedConfig.capacity
  }

  get #ttl() {
    return feedConfig.idleSeconds
  }

  /** The timeline's state, refreshing its expiry; null when it must be built. */
  async state(userId: number): Promise<TimelineState | null> {
    const { state } = await this.read(userId)
    return state
  }

  get #periodMs() {
    return this.#ttl * 1000
  }

  /** The index period of now. */
  get #period() {
    return Math.floor(Date.now() / this.#periodMs)
  }

  /**
   * The state and, in the same round trip, the newest `count` ids below
   * `before` (exclusive) whatever the floor: a read filters them by the
   * floor once it knows it, and takes them only if the timeline needs no
   * rebuild. A timeline that was out of the index (fan-outs skipped it)
   * reads as missing, and is rebuilt.
   */
  async read(userId: number, before?: number, count = 0) {
    const period = this.#period
    const multi = connection()
      .multi()
      .hgetall(metaKey(userId))
      .getbit(builtKey(period), userId)
      .getbit(builtKey(period - 1), userId)
      .expire(timelineKey(userId), this.#ttl)
      .expire(metaKey(userId), this.#ttl)
      .expire(authorsKey(userId), this.#ttl)
    this.#index(multi, userId, period)
    if (count) {
      multi.zrevrangebyscore(timelineKey(userId), bound(before), '-inf', 'LIMIT', 0, count)
    }
    const results = await multi.exec()
    const meta = results?.[0]?.[1] as Record<string, string> | undefined
    const indexed = results?.[1]?.[1] === 1 || results?.[2]?.[1] === 1
    const ids = ((results?.[8]?.[1] as string[] | undefined) ?? []).map(Number)
    const state: TimelineState | null =
      !meta || meta.floor === undefined || !indexed
        ? null
        : { floor: Number(meta.floor), fingerprint: meta.fp ?? '' }
    return { state, ids }
  }

  /** Sets the user's bit in this period's index, kept past the periods that may read it. */
  #index(multi: ChainableCommander, userId: number, period = this.#period) {
    multi.setbit(builtKey(period), userId, 1).pexpire(builtKey(period), 3 * this.#periodMs)
  }

  /**
   * Replaces a timeline with `ids` (newest first, at most the capacity) for
   * the friends `authors`.
   */
  async replace(userId: number, ids: number[], authors: string[], fingerprint: string) {
    const floor = ids.length >= this.#capacity ? ids[ids.length - 1] - 1 : 0
    const multi = connection()
      .multi()
      .del(timelineKey(userId), authorsKey(userId))
      .hset(metaKey(userId), { floor, fp: fingerprint })
      .expire(metaKey(userId), this.#ttl)
    this.#index(multi, userId)
    if (ids.length) {
      multi.zadd(timelineKey(userId), ...ids.flatMap((id) => [id, id]))
      multi.expire(timelineKey(userId), this.#ttl)
    }
    if (authors.length) {
      multi.sadd(authorsKey(userId), ...authors)
      multi.expire(authorsKey(userId), this.#ttl)
    }
    await multi.exec()
  }

  /**
   * Adds ids to a built timeline. `complete` says whether `ids` are all the
   * posts of their authors; when not, the floor rises to just below the
   * oldest of them, so that older pages come from MySQL.
   */
  async add(userId: number, ids: number[], complete = true) {
    if (!ids.length) return
    const atLeast = complete ? 0 : Math.min(...ids) - 1
    await connection().timelineAdd(
      timelineKey(userId),
      metaKey(userId),
      this.#capacity,
      this.#ttl,
      atLeast,
      ...ids
    )
  }

  /**
   * Adds to each built timeline its new ids (`ids` by user id), in
   * pipelines of `fanOutBatch` timelines, one round trip each.
   */
  async addEach(ids: Map<number, number[]>) {
    const entries = [...ids]
    for (let start = 0; start < entries.length; start += feedConfig.fanOutBatch) {
      const pipeline = connection().pipeline() as unknown as ScriptedRedis
      for (const [userId, postIds] of entries.slice(start, start + feedConfig.fanOutBatch)) {
        void pipeline.timelineAdd(
          timelineKey(userId),
          metaKey(userId),
          this.#capacity,
          this.#ttl,
          0,
          ...postIds
        )
      }
      const results = await (pipeline as unknown as ReturnType<Redis['pipeline']>).exec()
      // A failed write leaves the batch owed: the caller must not mark it done.
      const failed = results?.find(([error]) => error)
      if (failed) throw failed[0]
    }
  }

  /**
   * Whether a user's timeline may be built: their bit is set in the current
   * period or the one before, or one period either side for clocks that
   * disagree. A timeline built after this answer reads its posts from MySQL
   * (HomeFeed.rebuild queries again once it exists).
   */
  async mayBeBuilt(): Promise<(userId: number) => boolean> {
    const period = this.#period
    const pipeline = connection().pipeline()
    for (let p = period - 2; p <= period + 1; p++) pipeline.getBuffer(builtKey(p))
    const bitmaps = ((await pipeline.exec()) ?? []).flatMap(([error, bitmap]) => {
      if (error) throw error
      return bitmap ? [bitmap as Buffer] : []
    })
    return (userId) => bitmaps.some((bitmap) => hasBit(bitmap, userId))
  }

  /** Removes one post from many timelines. */
  async removeFromMany(userIds: number[], postId: number) {
    for (let start = 0; start < userIds.length; start += feedConfig.fanOutBatch) {
      const pipeline = connection().pipeline()
      for (const userId of userIds.slice(start, start + feedConfig.fanOutBatch)) {
        pipeline.zrem(timelineKey(userId), postId)
      }
      await pipeline.exec()
    }
  }

  /** Ids below `before` (exclusive) and above `floor` (exclusive), newest first. */
  async range(userId: number, before: number | undefined, floor: number, count: number) {
    const ids = await connection().zrevrangebyscore(
      timelineKey(userId),
      bound(before),
      `(${floor}`,
      'LIMIT',
      0,
      count
    )
    return ids.map(Number)
  }

  async authors(userId: number) {
    return connection().smembers(authorsKey(userId))
  }

  /** Records which friends the timeline now covers, after a reconcile. */
  async setAuthors(userId: number, added: string[], removed: string[], fingerprint: string) {
    const multi = connection().multi()
    if (added.length) multi.sadd(authorsKey(userId), ...added)
    if (removed.length) multi.srem(authorsKey(userId), ...removed)
    multi.expire(authorsKey(userId), this.#ttl)
    multi.hset(metaKey(userId), 'fp', fingerprint)
    await multi.exec()
  }

  async remove(userId: number, ids: number[]) {
    if (ids.length) await connection().zrem(timelineKey(userId), ...ids)
  }

  /** Drops a timeline; the next read rebuilds it. */
  async drop(userId: number) {
    await connection().del(timelineKey(userId), metaKey(userId), authorsKey(userId))
  }

  /** Drops every timeline: after a restore, or before rebuilding them all. */
  async dropAll() {
    await unlinkMatching(connection(), 'feed:*')
  }
}

/** Deletes every key matching `pattern`, a page of keys at a time. */
export async function unlinkMatching(client: Redis, pattern: string) {
  let cursor = '0'
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    if (keys.length) await client.unlink(...keys)
  } while (cursor !== '0')
}
