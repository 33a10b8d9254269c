import { test } from '@japa/runner'
import { LocalStore } from '#cache/local_store'
import { CacheStores } from '#cache/stores'
import {
  appliedChannel,
  CacheInvalidation,
  INVALIDATION_CHANNEL,
  type InvalidationBus,
} from '#cache/invalidation'

/** A load the test finishes by hand, to interleave it with deletes. */
function pendingLoad<V>() {
  let finish!: (value: V) => void
  const promise = new Promise<V>((resolve) => (finish = resolve))
  return { load: () => promise, finish }
}

const store = (maxBytes = 1000, ttlMs = 60_000) =>
  new LocalStore<number, { user: number; text: string }>({
    name: 'test',
    maxBytes,
    ttlMs,
    sizeOf: ({ text }) => text.length,
    tagOf: ({ user }) => user,
  })
const row = (text: string, user = 1) => ({ user, text })

/** The shared post cache, recording which posts were refreshed. */
function fakePostCache() {
  const refreshed: number[] = []
  return { posts: { refresh: async (id: number) => void refreshed.push(id) }, refreshed }
}

/**
 * Replicas' buses on one in-memory Redis, recording what was published.
 * PUBLISH answers with the number of subscribers it reached; `late: true`
 * answers before the subscribers get the message, as Redis can (it writes
 * the publisher's answer first, and a busy machine may run the publisher
 * before Redis writes to the others).
 */
function fakeBus({ late = false } = {}) {
  const channels = new Map<string, Set<(message: string) => void>>()
  const published: { channel: string; message: string }[] = []
  const bus: InvalidationBus = {
    async publish(channel, message) {
      published.push({ channel, message })
      const handlers = [...(channels.get(channel) ?? [])]
      const deliver = () => handlers.forEach((handler) => handler(message))
      if (late) setImmediate(deliver)
      else deliver()
      return handlers.length
    },
    subscribe(channel, handler, options) {
      if (!channels.has(channel)) channels.set(channel, new Set())
      channels.get(channel)!.add(handler)
      options?.onSubscription(channels.get(channel)!.size)
    },
    async unsubscribe(channel, handler) {
      channels.get(channel)?.delete(handler)
    },
  }
  /** The invalidations sent, without the answers that they were applied. */
  const invalidations = () => published.filter(({ channel }) => channel === INVALIDATION_CHANNEL)
  return { bus, published, invalidations }
}

test.group('Cache stores / LocalStore', () => {
  test('a load that started before its key was deleted is answered but not kept', async ({
    assert,
  }) => {
    const cache = store()
    const stale = pendingLoad<ReturnType<typeof row>>()
    const reading = cache.getOrLoad(1, stale.load)
    cache.delete(1)
    stale.finish(row('old row'))
    assert.equal((await reading)?.text, 'old row')
    assert.isUndefined(cache.get(1))
  })

  test("another key's delete does not stop a load from being kept", async ({ assert }) => {
    const cache = store()
    const pending = pendingLoad<ReturnType<typeof row>>()
    const reading = cache.getOrLoad(1, pending.load)
    cache.delete(2)
    pending.finish(row('row'))
    await reading
    assert.equal(cache.get(1)?.text, 'row')
  })

  test('deleting a tag drops its entries and its loads in flight; clear drops all', async ({
    assert,
  }) => {
    const cache = store()
    cache.set(1, row('of user 1', 1))
    cache.set(2, row('of user 2', 2))
    const pending = pendingLoad<ReturnType<typeof row>>()
    const reading = cache.getOrLoad(3, pending.load)
    cache.deleteTag(1)
    pending.finish(row('loaded for user 1', 1))
    await reading
    assert.deepEqual(
      [cache.get(1), cache.get(2)?.text, cache.get(3)],
      [undefined, 'of user 2', undefined]
    )

    const late = pendingLoad<ReturnType<typeof row>>()
    const readingLate = cache.getOrLoad(4, late.load)
    cache.clear()
    late.finish(row('row'))
    await readingLate
    assert.equal(cache.size, 0)
  })

  test('the bound is in bytes: the least recently used goes first', async ({ assert }) => {
    const cache = store(10)
    cache.set(1, row('aaaa'))
    cache.set(2, row('bbbb'))
    cache.get(1)
    cache.set(3, row('cccc'))
    assert.deepEqual(
      [cache.get(1)?.text, cache.get(2), cache.get(3)?.text],
      ['aaaa', undefined, 'cccc']
    )
    assert.isAtMost(cache.bytes, 10)
    // One entry larger than the whole store is not kept at all.
    cache.set(4, row('x'.repeat(11)))
    assert.isUndefined(cache.get(4))
  })

  test('entries expire; null answers are not kept; hits and misses are counted', async ({
    assert,
  }) => {
    const cache = store(1000, 30)
    assert.isNull(await cache.getOrLoad(9, async () => null))
    assert.equal(cache.size, 0)
    await cache.getOrLoad(1, async () => row('one'))
    await cache.getOrLoad(1, async () => row('again'))
    assert.deepEqual([cache.hits, cache.misses], [1, 2])
    await new Promise((resolve) => setTimeout(resolve, 60))
    assert.isUndefined(cache.get(1))
  })

  test('load replaces a kept value, unless its key is dropped while it loads', async ({
    assert,
  }) => {
    const cache = store()
    cache.set(1, row('old'))
    await cache.load(1, async () => row('new'))
    assert.equal(cache.get(1)?.text, 'new')
    await cache.load(1, async () => {
      cache.delete(1)
      return row('rendered before the drop')
    })
    assert.isUndefined(cache.get(1))
  })

  test('getOrLoadMany loads only the keys not kept, in one call, and keeps what was not dropped', async ({
    assert,
  }) => {
    const cache = store()
    cache.set(1, row('kept'))
    const asked: number[][] = []
    const found = await cache.getOrLoadMany([1, 2, 3, 2, 4], async (keys) => {
      asked.push(keys)
      cache.delete(3)
      // 4 does not exist: absent from the answer, nothing kept.
      return new Map([
        [2, row('two')],
        [3, row('three, dropped while loading')],
      ])
    })
    assert.deepEqual(asked, [[2, 3, 4]])
    assert.deepEqual(
      [...found].map(([key, value]) => [key, value.text]),
      [
        [1, 'kept'],
        [2, 'two'],
        [3, 'three, dropped while loading'],
      ]
    )
    assert.equal(cache.get(2)?.text, 'two')
    assert.isUndefined(cache.get(3))
    assert.isUndefined(cache.get(4))
    assert.deepInclude(cache.stats(), { hits: 1, misses: 3 })
  })

  test('getOrLoadBatched loads the misses of one turn together, once per key', async ({
    assert,
  }) => {
    const cache = store()
    cache.set(1, row('kept'))
    const asked: number[][] = []
    const loadMany = async (keys: number[]) => {
      asked.push(keys)
      cache.delete(3)
      return new Map([
        [2, row('two')],
        [3, row('three, dropped while loading')],
      ])
    }
    const answers = await Promise.all(
      [1, 2, 3, 2, 4].map((key) => cache.getOrLoadBatched(key, loadMany))
    )
    assert.deepEqual(asked, [[2, 3, 4]])
    assert.deepEqual(
      answers.map((answer) => answer?.text ?? null),
      ['kept', 'two', 'three, dropped while loading', 'two', null]
    )
    assert.equal(cache.get(2)?.text, 'two')
    assert.isUndefined(cache.get(3))
    assert.isUndefined(cache.get(4))

    // The next turn's misses make a batch of their own; a failed load fails each of its callers.
    const failing = async () => {
      throw new Error('database away')
    }
    const next = await Promise.allSettled([
      cache.getOrLoadBatched(5, failing),
      cache.getOrLoadBatched(6, failing),
      cache.getOrLoadBatched(2, failing),
    ])
    assert.deepEqual(
      next.map((one) => (one.status === 'fulfilled' ? one.value?.text : one.reason.message)),
      ['database away', 'database away', 'two']
    )
    assert.deepInclude(cache.stats(), { hits: 2, misses: 6 })
  })
})

test.group('Cache stores / CacheInvalidation', () => {
  test('a process off the bus has the same stores, which keep nothing', async ({ assert }) => {
    const stores = new CacheStores({ keep: false })
    let loads = 0
    const load = async () => (loads++, { id: 1 }) as any
    await stores.publicUsers.getOrLoad(1, load)
    await stores.publicUsers.getOrLoad(1, load)
    assert.equal(loads, 2)
    assert.isTrue(stores.all().every((one) => !one.size))
  })

  test('each fact drops every store holding it, on every replica, in one message type', async ({
    assert,
  }) => {
    const { bus, published, invalidations } = fakeBus()
    const { posts, refreshed } = fakePostCache()
    const [here, there] = [new CacheStores(), new CacheStores()]
    const invalidate = new CacheInvalidation(here, bus, posts)
    await new CacheInvalidation(there, bus, posts).join()
    const fill = (stores: CacheStores) => {
      const token = { row: Object.freeze({ id: 7, tokenable_id: 1 }), touchedAt: 0 }
      stores.tokens.set(7, token)
      stores.signedInUsers.set(1, { attributes: { id: 1 }, dates: [], extras: {} })
      stores.publicUsers.set(1, { id: 1 } as any)
      stores.pages.set(1, { html: Buffer.from('<p>'), headers: {}, data: {} as any })
      stores.latestPosts.set(1, [])
      stores.relations.set(1, {
        friends: new Int32Array(),
        friendsPrint: '',
        pending: new Map(),
        blocked: new Int32Array(),
      })
      stores.relations.set(2, {
        friends: new Int32Array(),
        friendsPrint: '',
        pending: new Map(),
        blocked: new Int32Array(),
      })
      stores.likedPosts.set(1, Int32Array.of(9))
    }
    const kept = (stores: CacheStores) =>
      Object.fromEntries(stores.all().map((one) => [one.name, one.size]))

    for (const stores of [here, there]) fill(stores)
    await invalidate.authorPage(1)
    for (const stores of [here, there]) {
      assert.include(kept(stores), { 'public pages': 0, 'latest posts': 0, 'public user data': 1 })
    }
    await invalidate.relation(1, 2)
    await invalidate.user(1)
    for (const stores of [here, there]) {
      assert.include(kept(stores), { 'relations': 0, 'public user data': 0, 'signed-in users': 0 })
      assert.equal(stores.tokens.size, 1)
    }
    await invalidate.tokens(1)
    for (const stores of [here, there]) assert.equal(stores.tokens.size, 0)
    assert.equal(here.likedPosts.size, 1)
    await invalidate.likes(1)
    for (const stores of [here, there]) assert.equal(stores.likedPosts.size, 0)

    for (const stores of [here, there]) fill(stores)
    await invalidate.post(9, 1)
    for (const stores of [here, there]) {
      assert.include(kept(stores), { 'public pages': 0, 'latest posts': 0, 'public user data': 1 })
    }
    // The shared Redis entry is written once, by the replica that changed the post.
    assert.deepEqual(refreshed, [9])

    await invalidate.all()
    for (const stores of [here, there]) assert.isTrue(stores.all().every((one) => !one.size))

    // One channel for the facts; each replica's answers go to the sender's own channel.
    assert.isTrue(
      published.every(
        ({ channel }) => channel === INVALIDATION_CHANNEL || channel.startsWith(appliedChannel(''))
      )
    )
    assert.deepEqual(
      invalidations().flatMap(({ message }) => JSON.parse(message).changes),
      [
        { fact: 'authorPage', ids: [1] },
        { fact: 'relation', ids: [1, 2] },
        { fact: 'user', ids: [1] },
        { fact: 'tokens', ids: [1] },
        { fact: 'likes', ids: [1] },
        { fact: 'authorPage', ids: [1] },
        { fact: 'all', ids: [] },
      ]
    )
  })

  test('a change answers only once every replica has dropped it, though Redis answers first', async ({
    assert,
  }) => {
    const { bus } = fakeBus({ late: true })
    const { posts } = fakePostCache()
    const [here, there] = [new CacheStores(), new CacheStores()]
    const invalidate = new CacheInvalidation(here, bus, posts)
    await invalidate.join()
    await new CacheInvalidation(there, bus, posts).join()
    there.publicUsers.set(1, { id: 1, bio: 'old' } as any)

    await invalidate.user(1)
    // The next read, sent to the other replica the moment the change answered.
    assert.isUndefined(there.publicUsers.get(1))
  })

  test('a fill on another replica that began before the change arrived is not kept', async ({
    assert,
  }) => {
    const { bus } = fakeBus({ late: true })
    const { posts } = fakePostCache()
    const [here, there] = [new CacheStores(), new CacheStores()]
    const invalidate = new CacheInvalidation(here, bus, posts)
    await invalidate.join()
    await new CacheInvalidation(there, bus, posts).join()

    const old = pendingLoad<any>()
    const reading = there.publicUsers.getOrLoad(1, old.load)
    await invalidate.user(1)
    old.finish({ id: 1, bio: 'read before the change committed' })
    assert.equal((await reading)?.bio, 'read before the change committed')
    assert.isUndefined(there.publicUsers.get(1))
  })

  test('with the bus away, the change drops this process and answers within a moment', async ({
    assert,
  }) => {
    const stores = new CacheStores()
    stores.publicUsers.set(1, { id: 1 } as any)
    const hanging: InvalidationBus = {
      publish: () => new Promise(() => {}),
      subscribe: () => {},
      unsubscribe: async () => {},
    }
    const started = Date.now()
    await new CacheInvalidation(stores, hanging, fakePostCache().posts).user(1)
    assert.isBelow(Date.now() - started, 2000)
    assert.isUndefined(stores.publicUsers.get(1))
  })
})
