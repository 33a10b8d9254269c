import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import { withTimeout } from '#helpers/timeout'
import { redisServer } from '#config/redis'
import type { CacheStores } from '#cache/stores'
import type { CommittedPost, PostCache } from '#cache/post_cache'

/**
 * The one channel every replica hears cache invalidations on. Redis's
 * pub/sub ignores the database number: named after the database, setups
 * that share one Redis server (each with its own database) hear only their
 * own replicas, and wait only for their answers. `v2`: messages carry a
 * list of changes; replicas that sent one change per message listen on the
 * channel without it, so during a rolling deploy the two kinds neither
 * hear nor wait for each other (the stores' TTLs bound what each keeps).
 */
export const INVALIDATION_CHANNEL = `cache:invalidate:v2:${redisServer.db}`

/** Where a replica tells the sender `from` that it applied the sender's message. */
export const appliedChannel = (from: string) => `${INVALIDATION_CHANNEL}:applied:${from}`

/** The one message type: a fact that changed, and whose. */
export interface Invalidation {
  fact: 'user' | 'tokens' | 'token' | 'relation' | 'likes' | 'authorPage' | 'unread' | 'all'
  ids: number[]
}

/**
 * On the wire: the changes a sender made within one turn of its event loop
 * (a like drops the author's page and the liker's likes: one message), and
 * what it waits to hear back.
 */
type Message = { changes: Invalidation[]; from?: string; seq?: number }

/** The longest a change waits for the other replicas (Redis away, a replica stalled). */
const WAIT_MS = 250

/** The part of a Redis connection the bus needs (@adonisjs/redis's `bus` connection). */
export interface InvalidationBus {
  publish(channel: string, message: string): Promise<unknown>
  subscribe(
    channel: string,
    handler: (message: string) => void,
    options?: { onSubscription(count: number): void; onError(error: unknown): void }
  ): void
  unsubscribe(channel: string, handler: (message: string) => void): Promise<unknown>
}

/** Acknowledgements a sent message still waits for. */
interface Pending {
  applied: number
  /** How many subscribers Redis delivered it to, once PUBLISH has answered. */
  expected?: number
  done: () => void
}

/**
 * What writers call once a change has committed: each method drops every
 * store holding that fact, here and, through Redis, on every replica that
 * joined the bus. Writers name facts, never stores or keys.
 *
 * A change answers only once every replica has dropped it: Redis answers
 * PUBLISH before it has written the message to the other subscribers (and
 * a busy machine can run the publisher, its HTTP answer and the client's
 * next request to another replica in between), so a read sent to another
 * replica right after the change could still find the old value there.
 * Each replica that applies a message tells its sender so, on the sender's
 * own channel; the sender waits for as many as Redis delivered to, at most
 * 250 ms (then it logs instead: the stores' TTLs bound what a replica
 * could still serve).
 */
export class CacheInvalidation {
  /** This instance on the bus: where the other replicas send what they applied. */
  readonly #id = randomUUID()
  #joined = false
  #seq = 0
  #pending = new Map<number, Pending>()
  /** Changes waiting for the end of this turn of the event loop, and their message. */
  #outgoing: Invalidation[] = []
  #flushing: Promise<void> | null = null
  #handler = (message: string) => this.#receive(JSON.parse(message))
  #appliedHandler = (seq: string) => this.#applied(this.#pending.get(Number(seq)))

  constructor(
    private stores: CacheStores,
    private bus: InvalidationBus,
    private posts: Pick<PostCache, 'refresh'>
  ) {}

  /** The user or their profile changed: their public data, signed-in row and page. */
  user(userId: number) {
    return this.#send({ fact: 'user', ids: [userId] })
  }

  /** Every token of the user ended (password change or reset, account deletion), with their row. */
  tokens(userId: number) {
    return this.#send({ fact: 'tokens', ids: [userId] })
  }

  /** One token ended (a sign-out). */
  token(tokenId: number) {
    return this.#send({ fact: 'token', ids: [tokenId] })
  }

  /**
   * How these users stand with each other changed: two of them (a request,
   * a friendship, a block), or an account gone with everyone it stood with.
   */
  relation(...userIds: number[]) {
    return this.#send({ fact: 'relation', ids: userIds })
  }

  /** The user liked or unliked a post: the posts they like. */
  likes(userId: number) {
    return this.#send({ fact: 'likes', ids: [userId] })
  }

  /** The author's posts changed: their profile page and its first page of posts, and the home page's newest posts. */
  authorPage(authorId: number) {
    return this.#send({ fact: 'authorPage', ids: [authorId] })
  }

  /** The users' notifications changed (written, read): their unread counts. */
  unread(...userIds: number[]) {
    return this.#send({ fact: 'unread', ids: userIds })
  }

  /**
   * A post changed (its text, deleted; its counts next): the shared Redis
   * entry takes the committed row or a tombstone (one write serves every
   * replica), and every replica drops the author's page and latest posts,
   * which hold it. `committed`: the row as the change committed it, when
   * the change read it under the post's lock (PostCache.refresh). The two
   * go at once: the pages and lists a replica drops are loaded again from
   * MySQL, not from the shared entry.
   */
  async post(postId: number, authorId: number, committed?: CommittedPost) {
    await Promise.all([
      this.posts.refresh(postId, committed).catch((error) => {
        // Without Redis, readers fall back to MySQL; the entry (if any) expires.
        logger.warn({ err: error, postId }, 'post cache not updated')
      }),
      this.authorPage(authorId),
    ])
  }

  /**
   * Whether the bus takes a message within `ms` (an empty one, which the
   * replicas apply as nothing): for a short-lived process (a command) that
   * must say whether its changes reached the others, which `#publish` only
   * logs.
   */
  async busAnswers(ms = 1000) {
    const empty: Message = { changes: [] }
    return withTimeout(this.bus.publish(INVALIDATION_CHANNEL, JSON.stringify(empty)), ms, 'bus')
      .then(() => true)
      .catch(() => false)
  }

  /** Ids start over (a database restored or truncated): everything. */
  all() {
    return this.#send({ fact: 'all', ids: [] })
  }

  /**
   * Hear the other replicas: web processes (and tests) do; commands and the
   * worker need not. Resolves once subscribed (while Redis is away the bus
   * connection waits for it).
   */
  async join() {
    await this.#subscribe(appliedChannel(this.#id), this.#appliedHandler)
    await this.#subscribe(INVALIDATION_CHANNEL, this.#handler)
    this.#joined = true
  }

  async leave() {
    this.#joined = false
    await this.bus.unsubscribe(INVALIDATION_CHANNEL, this.#handler)
    await this.bus.unsubscribe(appliedChannel(this.#id), this.#appliedHandler)
  }

  #subscribe(channel: string, handler: (message: string) => void) {
    return new Promise<void>((resolve, reject) =>
      this.bus.subscribe(channel, handler, { onSubscription: () => resolve(), onError: reject })
    )
  }

  /**
   * Drops here first, then tells the others in the message that leaves at
   * the end of this turn of the event loop, with every change made in it
   * (one PUBLISH, one answer from each replica, however many requests
   * changed something meanwhile), and resolves once that message is applied.
   */
  #send(invalidation: Invalidation) {
    this.#apply(invalidation)
    this.#outgoing.push(invalidation)
    this.#flushing ??= new Promise<void>((turnEnded) => setImmediate(turnEnded)).then(() => {
      const changes = this.#outgoing
      this.#outgoing = []
      this.#flushing = null
      return this.#publish(changes)
    })
    return this.#flushing
  }

  /**
   * Tells the others and, if this process hears their answers (it joined),
   * waits until each has applied the message. With Redis away the message
   * waits in the bus connection's queue and goes out when Redis is back:
   * the change must not wait for that, so after 250 ms it is logged instead.
   */
  async #publish(changes: Invalidation[]) {
    const seq = ++this.#seq
    const message: Message = this.#joined ? { changes, from: this.#id, seq } : { changes }
    const applied = new Promise<void>((done) => {
      if (this.#joined) this.#pending.set(seq, { applied: 0, done })
      else done()
    })
    const delivered = this.bus
      .publish(INVALIDATION_CHANNEL, JSON.stringify(message))
      .then((receivers) => this.#applied(this.#pending.get(seq), Number(receivers)))
    await withTimeout(Promise.all([delivered, applied]), WAIT_MS, 'cache invalidation timed out')
      .catch((error) => logger.warn({ err: error, changes }, 'cache not dropped everywhere yet'))
      .finally(() => this.#pending.delete(seq))
  }

  /**
   * A message from the bus: apply it, then tell its sender. This process's
   * own (applied when sent) is counted here, without a PUBLISH to itself.
   */
  #receive({ from, seq, changes }: Message) {
    if (from === this.#id) return this.#applied(this.#pending.get(Number(seq)))
    for (const change of changes) this.#apply(change)
    if (from === undefined) return
    this.bus
      .publish(appliedChannel(from), String(seq))
      .catch((error) => logger.warn({ err: error }, 'cache invalidation not acknowledged'))
  }

  /** Counts one replica's answer, or learns how many to wait for (PUBLISH's answer). */
  #applied(pending: Pending | undefined, receivers?: number) {
    if (!pending) return
    if (receivers === undefined) pending.applied++
    else pending.expected = receivers
    if (pending.expected !== undefined && pending.applied >= pending.expected) pending.done()
  }

  #apply({ fact, ids }: Invalidation) {
    const stores = this.stores
    for (const id of ids) {
      switch (fact) {
        case 'user':
          stores.publicUsers.delete(id)
          stores.signedInUsers.delete(id)
          stores.pages.delete(id)
          break
        case 'tokens':
          stores.tokens.deleteTag(id)
          stores.signedInUsers.delete(id)
          break
        case 'token':
          stores.tokens.delete(id)
          break
        case 'relation':
          stores.relations.delete(id)
          break
        case 'likes':
          stores.likedPosts.delete(id)
          break
        case 'unread':
          stores.unreadCounts.delete(id)
          break
        case 'authorPage':
          stores.pages.delete(id)
          stores.latestPosts.delete(id)
          stores.recentPublicPosts.delete(0)
          break
      }
    }
    if (fact === 'all') for (const store of stores.all()) store.clear()
  }
}
