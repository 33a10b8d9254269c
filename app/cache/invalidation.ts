import logger from '@adonisjs/core/services/logger'
import { withTimeout } from '#helpers/timeout'
import type { CacheStores } from '#cache/stores'
import type { PostCache } from '#cache/post_cache'

/** The one channel every replica hears cache invalidations on. */
export const INVALIDATION_CHANNEL = 'cache:invalidate'

/** The one message type: a fact that changed, and whose. */
export interface Invalidation {
  fact: 'user' | 'tokens' | 'token' | 'relation' | 'authorPage' | 'all'
  ids: number[]
}

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

/**
 * What writers call once a change has committed: each method drops every
 * store holding that fact, here and, through Redis, on every replica that
 * joined the bus. Writers name facts, never stores or keys.
 */
export class CacheInvalidation {
  #handler = (message: string) => this.#apply(JSON.parse(message))

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

  /** How two users stand changed (a request, a friendship, a block). */
  relation(userId: number, otherId: number) {
    return this.#send({ fact: 'relation', ids: [userId, otherId] })
  }

  /** The author's posts changed: their profile page and its first page of posts. */
  authorPage(authorId: number) {
    return this.#send({ fact: 'authorPage', ids: [authorId] })
  }

  /**
   * A post changed (its text, deleted; its counts next): the shared Redis
   * entry takes the committed row or a tombstone (one write serves every
   * replica), and every replica drops the author's page and latest posts,
   * which hold it.
   */
  async post(postId: number, authorId: number) {
    await this.posts.refresh(postId).catch((error) => {
      // Without Redis, readers fall back to MySQL; the entry (if any) expires.
      logger.warn({ err: error, postId }, 'post cache not updated')
    })
    await this.authorPage(authorId)
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
  join() {
    return new Promise<void>((resolve, reject) =>
      this.bus.subscribe(INVALIDATION_CHANNEL, this.#handler, {
        onSubscription: () => resolve(),
        onError: reject,
      })
    )
  }

  leave() {
    return this.bus.unsubscribe(INVALIDATION_CHANNEL, this.#handler)
  }

  /**
   * Drops here first, then tells the others. With Redis away the message
   * waits in the bus connection's queue and goes out when Redis is back:
   * the change must not wait for that, so after 250 ms it is logged
   * instead (the stores' TTLs bound what a replica could still serve).
   */
  async #send(message: Invalidation) {
    this.#apply(message)
    await withTimeout(
      this.bus.publish(INVALIDATION_CHANNEL, JSON.stringify(message)),
      250,
      'cache invalidation timed out'
    ).catch((error) => logger.warn({ err: error, ...message }, 'cache not dropped everywhere yet'))
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
        case 'authorPage':
          stores.pages.delete(id)
          stores.latestPosts.delete(id)
          break
      }
    }
    if (fact === 'all') for (const store of stores.all()) store.clear()
  }
}
