import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import emitter from '@adonisjs/core/services/emitter'
import { UserFactory } from '#database/factories/user_factory'
import { UserDirectory } from '#services/users/user_directory'
import { CacheStores } from '#cache/stores'
import { CacheInvalidation, INVALIDATION_CHANNEL, type InvalidationBus } from '#cache/invalidation'
import { PostCache } from '#cache/post_cache'
import { PublicPages } from '#services/users/public_pages'
import { PostService } from '#services/posts/post_service'
import type { PostData } from '#models/post'
import { ProfileService } from '#services/users/profile_service'
import { latestPostsOfMany, postsOf } from '#services/posts/post_queries'
import { DEFAULT_PAGE_LIMIT } from '#helpers/page'
import { insertPosts, insertUsers } from '#tests/feed_graph'
import { isolateDatabase, rawRequest, replicaCache, waitUntil, route } from '#tests/helpers'

/**
 * GET /users/:id and /api/users/:id answer from a cache of public user
 * data. These prove it never serves stale or private data.
 */
test.group('User data cache', (group) => {
  isolateDatabase(group)

  test('a profile update shows on the very next read, API and page', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const anonymousPage = async () =>
      (await rawRequest(route('users.show', { id: user.id }), {})).text()
    // Read first, so the old data and the page without cookies are cached.
    assert.equal(
      (await client.get(route('api.users.show', { id: user.id }))).body().profile_data.bio,
      ''
    )
    ;(await client.get(route('users.show', { id: user.id }))).assertStatus(200)
    assert.include(await anonymousPage(), 'No bio yet')
    assert.include(await anonymousPage(), 'No bio yet')

    const update = await client
      .patch(route('api.profiles.update', { id: user.profile.id }))
      .withGuard('api')
      .loginAs(user)
      .field('bio', 'Changed just now')
    update.assertStatus(200)

    assert.equal(
      (await client.get(route('api.users.show', { id: user.id }))).body().profile_data.bio,
      'Changed just now'
    )
    assert.include(
      (await client.get(route('users.show', { id: user.id }))).text(),
      'Changed just now'
    )
    assert.include(await anonymousPage(), 'Changed just now')
  })

  test('a change to the user itself shows on the next read', async ({ client, assert }) => {
    const user = await UserFactory.create()
    assert.equal(
      (await client.get(route('api.users.show', { id: user.id }))).body().first_name,
      user.firstName
    )

    // What every use case that changes a user does once it has committed.
    user.firstName = 'Renamed'
    await user.save()
    await emitter.emit('user.updated', { userId: user.id })

    assert.equal(
      (await client.get(route('api.users.show', { id: user.id }))).body().first_name,
      'Renamed'
    )
  })

  test("the owner's email never reaches another viewer, whoever reads first", async ({
    client,
    assert,
  }) => {
    const [owner, other] = await UserFactory.createMany(2)

    // The owner reads first: the cache must not keep their view.
    const mine = await client
      .get(route('api.users.show', { id: owner.id }))
      .withGuard('api')
      .loginAs(owner)
    assert.equal(mine.body().email, owner.email)
    assert.notProperty(
      (await client.get(route('api.users.show', { id: owner.id }))).body(),
      'email'
    )
    const theirs = await client
      .get(route('api.users.show', { id: owner.id }))
      .withGuard('api')
      .loginAs(other)
    assert.notProperty(theirs.body(), 'email')
    assert.notInclude((await client.get(route('users.show', { id: owner.id }))).text(), owner.email)

    // And the other way round: a cached public entry still gives the owner their email.
    const again = await client
      .get(route('api.users.show', { id: owner.id }))
      .withGuard('api')
      .loginAs(owner)
    assert.equal(again.body().email, owner.email)
    assert.deepEqual(Object.keys(again.body()).sort(), Object.keys(mine.body()).sort())
  })

  test('the page shows the email to its signed-in owner only', async ({ client, assert }) => {
    const [owner, other] = await UserFactory.createMany(2)
    // Twice without cookies: the second read comes from the page cache.
    assert.equal((await rawRequest(route('users.show', { id: owner.id }), {})).status, 200)
    assert.equal((await rawRequest(route('users.show', { id: owner.id }), {})).status, 200)

    const own = await client.get(route('users.show', { id: owner.id })).loginAs(owner)
    assert.include(own.text(), 'Sign out')
    assert.include(own.text(), owner.email)
    assert.include(own.text(), route('profiles.edit', { id: owner.profile.id }))

    const someoneElse = await client.get(route('users.show', { id: owner.id })).loginAs(other)
    assert.notInclude(someoneElse.text(), owner.email)
    assert.notInclude(someoneElse.text(), route('profiles.edit', { id: owner.profile.id }))
  })

  test('a visitor without cookies gets the page a guest gets, without a session, rendered once', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    await (await app.container.make(PostService)).create(user.id, { text: 'First light' })
    const { pages } = await app.container.make(CacheStores)
    const path = route('users.show', { id: user.id })
    // A guest with a cookie takes the whole web stack (session, shield, auth).
    const guest = await rawRequest(path, { headers: { cookie: 'unrelated=1' } })
    const rendered = await rawRequest(path, {})
    assert.equal(rendered.status, 200)
    const html = await rendered.text()
    assert.equal(html, await guest.text())
    assert.include(html, 'First light')
    // Rendered without the web stack: no session for a visitor who has none.
    assert.notExists(rendered.headers.get('set-cookie'))

    const hits = pages.hits
    const cached = await rawRequest(path, {})
    assert.equal(cached.status, 200)
    assert.equal(pages.hits, hits + 1)
    assert.equal(await cached.text(), html)
    assert.notExists(cached.headers.get('set-cookie'))
    assert.match(cached.headers.get('content-type')!, /^text\/html/)
    // Shield's headers, as the web stack sets them.
    for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options']) {
      assert.exists(guest.headers.get(name), name)
      assert.equal(rendered.headers.get(name), guest.headers.get(name), name)
      assert.equal(cached.headers.get(name), guest.headers.get(name), name)
    }

    // Unknown users, even past 64 bits, still get the 404 page.
    for (const id of ['999999999', '99999999999999999999999']) {
      assert.equal((await rawRequest(route('users.show', { id: id }), {})).status, 404, id)
    }
  })

  test('another replica drops its copy when the profile changes (Redis bus)', async ({
    assert,
  }) => {
    const replica = await replicaCache()
    const replicaB = new UserDirectory(replica.stores)
    try {
      const user = await UserFactory.create()
      // Both replicas keep it in their own memory.
      const userDirectory = await app.container.make(UserDirectory)
      assert.equal((await userDirectory.publicData(user.id))!.profile_data.bio, '')
      assert.equal((await replicaB.publicData(user.id))!.profile_data.bio, '')
      assert.equal((await replicaB.publicData(user.id))!.profile_data.bio, '')

      const profiles = await app.container.make(ProfileService)
      await profiles.update(user.profile, { bio: 'Seen everywhere' })

      // The bus message crosses Redis: allow it a moment, not a TTL.
      await waitUntil(
        async () => (await replicaB.publicData(user.id))!.profile_data.bio === 'Seen everywhere',
        1000
      )
    } finally {
      await replica.close()
    }
  })

  test("profiles read together get each user's first page of posts", async ({ assert }) => {
    const [busy, quiet, silent] = await UserFactory.createMany(3)
    const busyPosts = await insertPosts([...Array(DEFAULT_PAGE_LIMIT + 5)].map(() => busy.id))
    const quietPosts = await insertPosts([quiet.id, quiet.id])
    const lists = await latestPostsOfMany([busy.id, quiet.id, silent.id])
    assert.deepEqual([...lists.keys()], [busy.id, quiet.id, silent.id])
    // Newest first, one more than a page (postsOf's first page: "Older posts" follows).
    assert.deepEqual(
      lists.get(busy.id)!.map((post) => post.id),
      busyPosts.reverse().slice(0, DEFAULT_PAGE_LIMIT + 1)
    )
    assert.deepEqual(lists.get(busy.id), await postsOf(busy.id, {}))
    assert.deepEqual(
      lists.get(quiet.id)!.map((post) => post.id),
      quietPosts.reverse()
    )
    assert.deepEqual(lists.get(silent.id), [])

    // More users than one query joins: each still gets its own.
    const many = await insertUsers(150, 'many')
    const theirs = await insertPosts(many)
    const manyLists = await latestPostsOfMany(many)
    assert.deepEqual(
      many.map((id) => manyLists.get(id)!.map((post) => post.id)),
      theirs.map((id) => [id])
    )
  })

  test("a post drops the author's page on another replica, and keeps their cached data", async ({
    assert,
  }) => {
    const replica = await replicaCache()
    const pagesB = new PublicPages(replica.stores)
    try {
      const author = await UserFactory.create()
      const userDirectory = await app.container.make(UserDirectory)
      const data = (await userDirectory.publicData(author.id))!
      const page = { html: Buffer.from('<p>no posts yet</p>'), headers: {} }
      await pagesB.render(author.id, data, async () => page)
      assert.deepEqual(pagesB.get(author.id, data), { ...page, data })
      // B keeps the author's (empty) list of posts.
      const before: PostData[] = []
      assert.strictEqual(
        await pagesB.latestPosts(author.id, async () => new Map([[author.id, before]])),
        before
      )

      const posts = await app.container.make(PostService)
      await posts.create(author.id, { text: 'New on the page' })

      // The bus message crosses Redis: allow it a moment, not a TTL.
      await waitUntil(() => pagesB.get(author.id, data) === undefined, 1000)
      const after: PostData[] = []
      assert.strictEqual(
        await pagesB.latestPosts(author.id, async () => new Map([[author.id, after]])),
        after
      )
      // The user's data was not dropped: the page went on its own.
      assert.strictEqual(await userDirectory.publicData(author.id), data)
    } finally {
      await replica.close()
    }
  })

  test('a change waits for the other replicas, sends nothing to itself, and shares its message with the changes made with it', async ({
    assert,
  }) => {
    const bus = redis.connection('bus')
    const published: string[] = []
    const counted: InvalidationBus = {
      publish: (channel, message) => (published.push(channel), bus.publish(channel, message)),
      subscribe: (channel, handler, options) => bus.subscribe(channel, handler, options),
      unsubscribe: (channel, handler) => bus.unsubscribe(channel, handler),
    }
    const author = await UserFactory.create()
    const data = (await app.container.make(UserDirectory).then((d) => d.publicData(author.id)))!
    const replica = await replicaCache()
    const pagesB = new PublicPages(replica.stores)
    const sender = new CacheInvalidation(new CacheStores(), counted, new PostCache())
    await sender.join()
    try {
      await pagesB.render(author.id, data, async () => ({
        html: Buffer.from('<p>page</p>'),
        headers: {},
      }))

      await sender.authorPage(author.id)
      // Answered once B had dropped it: no waiting needed here.
      assert.isUndefined(pagesB.get(author.id, data))
      // One PUBLISH: the message; its own copy is counted without a round trip.
      assert.deepEqual(published, [INVALIDATION_CHANNEL])

      // Changes made together (a like's) travel in one message, answered once.
      await pagesB.render(author.id, data, async () => ({
        html: Buffer.from('<p>page</p>'),
        headers: {},
      }))
      replica.stores.likedPosts.set(author.id, Int32Array.of(1))
      await Promise.all([sender.authorPage(author.id), sender.likes(author.id)])
      assert.isUndefined(pagesB.get(author.id, data))
      assert.isUndefined(replica.stores.likedPosts.get(author.id))
      assert.deepEqual(published, [INVALIDATION_CHANNEL, INVALIDATION_CHANNEL])
    } finally {
      await replica.close()
      await sender.leave()
    }
  })

  test('a page rendered while it was dropped is not kept', async ({ assert }) => {
    const stores = new CacheStores()
    const pages = new PublicPages(stores)
    const invalidate = new CacheInvalidation(stores, redis.connection('bus'), new PostCache())
    const author = await UserFactory.create()
    const data = (await new UserDirectory(stores).publicData(author.id))!
    await pages.render(author.id, data, async () => {
      // The author posts while the old page is being rendered.
      await invalidate.authorPage(author.id)
      return { html: Buffer.from('<p>before the post</p>'), headers: {} }
    })
    assert.isUndefined(pages.get(author.id, data))
  })
})
