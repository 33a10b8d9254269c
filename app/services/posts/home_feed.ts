import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { PostData } from '#models/post'
import feedConfig from '#config/feed'
import { DEFAULT_PAGE_LIMIT, type PageRequest } from '#helpers/page'
import { PostCache } from '#cache/post_cache'
import { TimelineStore, type TimelineState } from '#services/posts/timeline_store'
import { friendIdsOf, friendSetOf, type FriendSet } from '#services/friends/friendship_queries'
import { FriendLists } from '#services/friends/friend_lists'
import type { OwedPost } from '#services/posts/fan_out_outbox'
import { SignedInUsers } from '#services/sessions/signed_in_users'

const tokenFriend = (token: string) => Number(token.split('@')[0])

/**
 * The home feed: the user's and their friends' posts, newest first, by id.
 *
 * Each user's timeline is a capped sorted set of post ids in Redis
 * (TimelineStore), filled on write by the FanOutPosts job and rebuilt from
 * MySQL when missing. A read takes the current friend set from the
 * viewer's relations (SignedInUsers: dropped on every replica when a
 * friendship changes) and keeps only posts that still exist (PostCache) by
 * the user or a current friend: a delete or an unfriending shows at once
 * on every replica, whatever the jobs have done yet. A timeline reconciles itself with the
 * friend set on read (a new friend's posts merged in), so the answer is the
 * plain SQL query's; pages below the timeline's floor come from MySQL.
 */
@inject()
export class HomeFeed {
  constructor(
    private timelines: TimelineStore,
    private posts: PostCache,
    private signedInUsers: SignedInUsers,
    private friendLists: FriendLists
  ) {}

  /**
   * One page plus one post (for `toPage` to know whether another follows).
   */
  async page(userId: number, page: PageRequest): Promise<PostData[]> {
    const want = (page.limit ?? DEFAULT_PAGE_LIMIT) + 1
    // The timeline's state and first ids while the friends are looked up.
    const first = Math.max(want, feedConfig.readBatch)
    const reading = this.timelines.read(userId, page.before, first)
    reading.catch(() => {})
    const { friends, friendsPrint } = await this.signedInUsers.relations(userId)
    const authors = new Set([userId, ...friends])

    let floor: number
    let head: number[] | undefined
    try {
      const { state, ids } = await reading
      if (state?.fingerprint === friendsPrint) {
        floor = state.floor
        head = ids.filter((id) => id > floor)
      } else {
        floor = await this.#ready(userId, state)
      }
    } catch (error) {
      logger.warn({ err: error, userId }, 'timeline unreachable; feed read from MySQL')
      return this.#fromSql(authors, page.before, want)
    }

    const shown: PostData[] = []
    let cursor = page.before
    let exhausted = false
    while (shown.length < want && !exhausted) {
      const batch = head ? first : Math.max(want - shown.length, feedConfig.readBatch)
      const ids = head ?? (await this.timelines.range(userId, cursor, floor, batch))
      head = undefined
      exhausted = ids.length < batch
      if (!ids.length) break
      const found = await this.posts.many(ids)
      for (const id of ids) {
        const post = found.get(id)
        if (post && authors.has(post.user_id)) shown.push(post)
        if (shown.length === want) break
      }
      cursor = ids[ids.length - 1]
    }

    // Below the floor the timeline holds nothing: MySQL answers.
    if (shown.length < want && floor > 0) {
      const below = cursor === undefined ? floor + 1 : Math.min(cursor, floor + 1)
      shown.push(...(await this.#fromSql(authors, below, want - shown.length)))
    }
    return shown
  }

  /**
   * The plain SQL answer, which the timeline must always agree with: the
   * reference for tests, the fallback without Redis, and older pages.
   */
  async #fromSql(authors: Set<number>, before: number | undefined, count: number) {
    const ids = await sqlFeedIds([...authors], before, count)
    const found = await this.posts.many(ids)
    return ids.flatMap((id) => found.get(id) ?? [])
  }

  /**
   * Builds or reconciles the timeline (`state`: as just read); returns its
   * floor. From the primary, as the relations are: a lagging replica's
   * friend set would not match them.
   */
  async #ready(userId: number, state: TimelineState | null) {
    const friends = await friendSetOf(userId, 'write')
    if (!state) {
      return this.rebuild(userId, friends)
    }
    if (state.fingerprint !== friends.print) {
      await this.#reconcile(userId, friends)
      const reconciled = await this.timelines.state(userId)
      return reconciled?.floor ?? state.floor
    }
    return state.floor
  }

  /**
   * Rebuilds a timeline from MySQL. The query runs a second time once the
   * timeline exists: a post that committed in between found no timeline to
   * fan out to, and the second query sees it.
   */
  async rebuild(userId: number, friends?: FriendSet) {
    friends ??= await friendSetOf(userId)
    const authors = [userId, ...friends.ids]
    const ids = await sqlFeedIds(authors, undefined, feedConfig.capacity)
    await this.timelines.replace(userId, ids, friends.tokens, friends.print)
    const again = await sqlFeedIds(authors, undefined, feedConfig.capacity)
    await this.timelines.add(userId, again, again.length < feedConfig.capacity)
    const built = await this.timelines.state(userId)
    return built?.floor ?? 0
  }

  /**
   * Brings a built timeline in line with the current friend set: posts of
   * new friends merged in, posts of former friends taken out (reads filter
   * them anyway; this frees their room). Called on read when the friend set
   * changed, and by the friendship listeners.
   */
  async reconcile(userId: number) {
    const state = await this.timelines.state(userId)
    if (!state) return
    const friends = await friendSetOf(userId)
    if (state.fingerprint !== friends.print) await this.#reconcile(userId, friends)
  }

  async #reconcile(userId: number, friends: FriendSet) {
    const covered = new Set(await this.timelines.authors(userId))
    const current = new Set(friends.tokens)
    const added = friends.tokens.filter((token) => !covered.has(token))
    const removed = [...covered].filter((token) => !current.has(token))

    // Out first, then in: a friend befriended again is in both.
    if (removed.length) {
      const ids = await sqlFeedIds(removed.map(tokenFriend), undefined, feedConfig.capacity)
      await this.timelines.remove(userId, ids)
    }
    if (added.length) {
      const ids = await sqlFeedIds(added.map(tokenFriend), undefined, feedConfig.capacity)
      await this.timelines.add(userId, ids, ids.length < feedConfig.capacity)
    }
    await this.timelines.setAuthors(userId, added, removed, friends.print)
  }

  /**
   * Puts new posts in their authors' timelines and every friend's (the
   * FanOutPosts job): the authors' friends (kept by FriendLists, loaded in
   * one query for those whose friendships changed), then each
   * timeline written once with all of its new ids; returns the new ids by
   * reader. Only built timelines are written: a friend who has not read
   * their feed for a week has none, and theirs is built from MySQL when read.
   */
  async fanOut(posts: OwedPost[]) {
    const authors = [...new Set(posts.map((post) => post.authorId))]
    const [friends, mayBeBuilt] = await Promise.all([
      this.friendLists.ofMany(authors),
      this.timelines.mayBeBuilt(),
    ])
    const added = new Map<number, number[]>()
    for (const { id, authorId } of posts) {
      for (const reader of [authorId, ...(friends.get(authorId) ?? [])]) {
        if (!mayBeBuilt(reader)) continue
        const ids = added.get(reader)
        if (ids) ids.push(id)
        else added.set(reader, [id])
      }
    }
    await this.timelines.addEach(added)
    return added
  }

  /** Takes a deleted post out of the timelines it was fanned out to. */
  async withdraw(postId: number, authorId: number) {
    await this.timelines.removeFromMany([authorId, ...(await friendIdsOf(authorId))], postId)
  }
}

/** Post ids by `authors` below `before`, newest first: the feed in SQL. */
export async function sqlFeedIds(authors: number[], before: number | undefined, count: number) {
  if (!authors.length) return []
  const query = db.from('posts').whereIn('user_id', authors).select('id')
  if (before !== undefined) query.where('id', '<', before)
  const rows = await query.orderBy('id', 'desc').limit(count)
  return rows.map((row) => Number(row.id))
}
