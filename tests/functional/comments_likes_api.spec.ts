import { test } from '@japa/runner'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import limiter from '@adonisjs/limiter/services/main'
import rateLimits from '#config/rate_limits'
import Post from '#models/post'
import type User from '#models/user'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { PostCache } from '#cache/post_cache'
import { LikeService } from '#services/likes/like_service'
import { PostAccess } from '#services/posts/post_access'
import { LikeNotificationOutbox } from '#services/likes/like_notification_outbox'
import { isolateDatabase, route, truncateTables, whileRowIsHeld } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'
import { insertPosts, insertUsers } from '#tests/feed_graph'
import { queuedJobs, runQueuedJobs } from '#tests/notification_jobs'
import { defaultQueue } from '#jobs/bull_adapter'
import Notification from '#models/notification'
import { CacheStores } from '#cache/stores'
import { KEPT_LIKES_MAX } from '#services/likes/like_queries'

const as = (request: ApiRequest, user: User) => request.withGuard('api').loginAs(user)
const comment = (client: ApiClient, user: User, postId: number, text: unknown) =>
  as(client.post(route('api.posts.comments.store', { id: postId })), user).json({ text })
const like = (client: ApiClient, user: User, postId: number) =>
  as(client.put(route('api.posts.like', { id: postId })), user)
const unlike = (client: ApiClient, user: User, postId: number) =>
  as(client.delete(route('api.posts.unlike', { id: postId })), user)
const showPost = (client: ApiClient, postId: number, viewer?: User) => {
  const request = client.get(route('api.posts.show', { id: postId }))
  return viewer ? as(request, viewer) : request
}

/** The counts as the row holds them, and as the rows count them. */
async function countsOf(postId: number) {
  const post = await Post.findOrFail(postId)
  const [[{ likes }]] = await db.rawQuery('SELECT COUNT(*) AS likes FROM likes WHERE post_id = ?', [
    postId,
  ])
  const [[{ comments }]] = await db.rawQuery(
    'SELECT COUNT(*) AS comments FROM comments WHERE post_id = ?',
    [postId]
  )
  return {
    likes_count: post.likesCount,
    comments_count: post.commentsCount,
    likes: Number(likes),
    comments: Number(comments),
  }
}

test.group('Comments / API', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('201 with the comment; the post counts it; the page lists newest first', async ({
    client,
    assert,
  }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    const created = await comment(client, reader, post.id, '  First!\r\nTwo lines  ')
    created.assertStatus(201)
    assert.deepInclude(created.body(), { post_id: post.id, text: 'First!\nTwo lines' })
    assert.sameMembers(Object.keys(created.body()), [
      'id',
      'post_id',
      'author',
      'text',
      'created_at',
    ])
    assert.equal(created.body().author.id, reader.id)
    assert.match(created.body().created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    for (const text of ['second', 'third']) {
      ;(await comment(client, author, post.id, text)).assertStatus(201)
    }

    const shown = await showPost(client, post.id)
    assert.equal(shown.body().comments_count, 3)
    assert.equal(shown.body().likes_count, 0)

    const first = await client
      .get(route('api.posts.comments.index', { id: post.id }))
      .qs({ limit: 2 })
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((c: any) => c.text),
      ['third', 'second']
    )
    const second = await client.get(first.body().next)
    assert.deepEqual(
      second.body().data.map((c: any) => c.text),
      ['First!\nTwo lines']
    )
    assert.isNull(second.body().next)
  })

  test('422 for blank, over 500 characters, control characters, not a string', async ({
    client,
    assert,
  }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    for (const text of ['', '   ', 'x'.repeat(501), 'bad\u0007bell', 'a\u202Eb', 42, null]) {
      const response = await comment(client, reader, post.id, text)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'text')
    }
    ;(await comment(client, reader, post.id, 'x'.repeat(500))).assertStatus(201)
    assert.equal((await countsOf(post.id)).comments_count, 1)
  })

  test('401 without a token, 403 unconfirmed, 404 unknown post', async ({ client, assert }) => {
    const author = await UserFactory.create()
    const unconfirmed = await UserFactory.apply('unverified').create()
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    const anonymous = await client
      .post(route('api.posts.comments.store', { id: post.id }))
      .json({ text: 'hi' })
    anonymous.assertStatus(401)
    const refused = await comment(client, unconfirmed, post.id, 'hi')
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].rule, 'email_unverified')
    ;(await comment(client, author, post.id + 1000, 'hi')).assertStatus(404)
    ;(await client.get(route('api.posts.comments.index', { id: post.id + 1000 }))).assertStatus(404)
    const badPage = await client
      .get(route('api.posts.comments.index', { id: post.id }))
      .qs({ limit: 0 })
    badPage.assertStatus(422)
  })

  test('deleted by its author or the post author (204); 403 for others; 404 unknown', async ({
    client,
    assert,
  }) => {
    const [author, writer, other] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const ids: number[] = []
    for (const text of ['one', 'two']) {
      ids.push((await comment(client, writer, post.id, text)).body().id)
    }
    const destroy = (user: User, id: number) =>
      as(client.delete(route('api.comments.destroy', { id })), user)

    ;(await destroy(other, ids[0])).assertStatus(403)
    ;(await destroy(writer, ids[0])).assertStatus(204)
    ;(await destroy(author, ids[1])).assertStatus(204)
    ;(await destroy(author, ids[1])).assertStatus(404)
    ;(await client.delete(route('api.comments.destroy', { id: ids[0] }))).assertStatus(401)
    assert.deepEqual(await countsOf(post.id), {
      likes_count: 0,
      comments_count: 0,
      likes: 0,
      comments: 0,
    })
  })

  test('a refused comment is not counted toward the limit; a written one is', async ({
    client,
    assert,
  }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const window = limiter.use({ ...rateLimits.commentsPerAccount })
    const key = `commentsPerAccount_user_${reader.id}`
    ;(await comment(client, reader, post.id, '')).assertStatus(422)
    ;(await comment(client, reader, post.id + 1000, 'to nowhere')).assertStatus(404)
    assert.equal((await window.get(key))?.consumed ?? 0, 0)
    ;(await comment(client, reader, post.id, 'kept')).assertStatus(201)
    assert.equal((await window.get(key))?.consumed, 1)
  })

  test('429 over the per-account limit, with rule rate_limit', async ({ client, assert }) => {
    const [author, reader] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const { requests } = rateLimits.commentsPerAccount
    await limiter
      .use({ ...rateLimits.commentsPerAccount })
      .set(`commentsPerAccount_user_${reader.id}`, requests)
    const response = await comment(client, reader, post.id, 'one more')
    response.assertStatus(429)
    assert.equal(response.body().errors[0].rule, 'rate_limit')
    assert.equal((await countsOf(post.id)).comments, 0)
  })
})

test.group('Likes / API', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('PUT twice is one like; DELETE twice is none; counts and liked per viewer', async ({
    client,
    assert,
  }) => {
    const [author, fan, other] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    // The cache holds the post before the likes: they must reach it.
    ;(await showPost(client, post.id)).assertStatus(200)
    // So do the fan's kept likes, read before the like.
    assert.deepInclude((await showPost(client, post.id, fan)).body(), { liked: false })

    ;(await like(client, fan, post.id)).assertStatus(204)
    ;(await like(client, fan, post.id)).assertStatus(204)
    ;(await like(client, other, post.id)).assertStatus(204)
    assert.deepInclude(await countsOf(post.id), { likes_count: 2, likes: 2 })

    assert.deepInclude((await showPost(client, post.id, fan)).body(), {
      likes_count: 2,
      liked: true,
    })
    assert.deepInclude((await showPost(client, post.id, author)).body(), { liked: false })
    assert.deepInclude((await showPost(client, post.id)).body(), { likes_count: 2, liked: false })

    ;(await unlike(client, fan, post.id)).assertStatus(204)
    ;(await unlike(client, fan, post.id)).assertStatus(204)
    assert.deepInclude((await showPost(client, post.id, fan)).body(), {
      likes_count: 1,
      liked: false,
    })
    assert.deepInclude(await countsOf(post.id), { likes_count: 1, likes: 1 })

    // The profile's list and the feed say the same.
    const list = await as(client.get(route('api.users.posts', { id: author.id })), other)
    assert.deepInclude(list.body().data[0], { likes_count: 1, liked: true })
    const feed = await as(client.get(route('api.feed')), author)
    assert.deepInclude(feed.body().data[0], { likes_count: 1, liked: false })
  })

  test('someone past the kept likes still sees their own: asked per page, nothing kept', async ({
    client,
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const liked = await insertPosts(Array.from({ length: KEPT_LIKES_MAX + 1 }, () => author.id))
    for (let start = 0; start < liked.length; start += 1000) {
      await db.table('likes').multiInsert(
        liked.slice(start, start + 1000).map((postId) => ({
          post_id: postId,
          user_id: fan.id,
          created_at: new Date(),
        }))
      )
    }
    const fresh = await Post.create({ userId: author.id, text: 'Not liked yet' })
    const stores = await app.container.make(CacheStores)

    const page = async () => {
      const list = await as(client.get(route('api.users.posts', { id: author.id })), fan)
      return list.body().data.map((post: { id: number; liked: boolean }) => [post.id, post.liked])
    }
    assert.deepEqual((await page()).slice(0, 2), [
      [fresh.id, false],
      [liked.at(-1), true],
    ])
    ;(await like(client, fan, fresh.id)).assertStatus(204)
    assert.deepEqual((await page())[0], [fresh.id, true])
    assert.isUndefined(stores.likedPosts.get(fan.id))
  })

  test('GET likes: who likes it, newest like first, paged', async ({ client, assert }) => {
    const [author, a, b, c] = await UserFactory.createMany(4)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    for (const user of [a, b, c]) (await like(client, user, post.id)).assertStatus(204)

    const first = await client.get(route('api.posts.likes', { id: post.id })).qs({ limit: 2 })
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((u: any) => u.id),
      [c.id, b.id]
    )
    const second = await client.get(first.body().next)
    assert.deepEqual(
      second.body().data.map((u: any) => u.id),
      [a.id]
    )
    assert.isNull(second.body().next)
    ;(await client.get(route('api.posts.likes', { id: post.id + 1000 }))).assertStatus(404)
  })

  test('401 without a token, 403 unconfirmed (PUT), 404 unknown post', async ({
    client,
    assert,
  }) => {
    const author = await UserFactory.create()
    const unconfirmed = await UserFactory.apply('unverified').create()
    const post = await Post.create({ userId: author.id, text: 'Hello' })

    ;(await client.put(route('api.posts.like', { id: post.id }))).assertStatus(401)
    ;(await client.delete(route('api.posts.unlike', { id: post.id }))).assertStatus(401)
    const refused = await like(client, unconfirmed, post.id)
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].rule, 'email_unverified')
    ;(await unlike(client, unconfirmed, post.id)).assertStatus(204)
    ;(await like(client, author, post.id + 1000)).assertStatus(404)
    ;(await unlike(client, author, post.id + 1000)).assertStatus(404)
  })

  test('429 over the per-account limit', async ({ client, assert }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    const { requests } = rateLimits.likesPerAccount
    await limiter
      .use({ ...rateLimits.likesPerAccount })
      .set(`likesPerAccount_user_${fan.id}`, requests)
    const response = await like(client, fan, post.id)
    response.assertStatus(429)
    assert.equal(response.body().errors[0].rule, 'rate_limit')
    assert.equal((await countsOf(post.id)).likes, 0)
  })
})

test.group('Comments and likes / what goes with a post or an account', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('deleting a post deletes its comments, likes and their notifications', async ({
    client,
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    ;(await like(client, fan, post.id)).assertStatus(204)
    ;(await comment(client, fan, post.id, 'nice')).assertStatus(201)
    await db.table('notifications').insert({
      recipient_id: author.id,
      type: 'like',
      actor_id: fan.id,
      subject_id: post.id,
      post_id: post.id,
      created_at: new Date(),
    })

    ;(await as(client.delete(route('api.posts.destroy', { id: post.id })), author)).assertStatus(
      204
    )
    for (const table of ['likes', 'comments', 'notifications']) {
      const rows = await db.from(table).where('post_id', post.id)
      assert.lengthOf(rows, 0, table)
    }
    ;(await showPost(client, post.id)).assertStatus(404)
    ;(await like(client, fan, post.id)).assertStatus(404)
    ;(await client.get(route('api.posts.comments.index', { id: post.id }))).assertStatus(404)
  })

  test('deleting an account takes its likes and comments out of the counts', async ({
    client,
    assert,
  }) => {
    const [author, leaver, stayer] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    for (const user of [leaver, stayer]) {
      ;(await like(client, user, post.id)).assertStatus(204)
      ;(await comment(client, user, post.id, 'hi')).assertStatus(201)
    }
    ;(await comment(client, leaver, post.id, 'again')).assertStatus(201)
    ;(await showPost(client, post.id)).assertStatus(200)

    const deleted = await as(client.delete(route('api.me.destroy')), leaver).json({
      password: FACTORY_PASSWORD,
    })
    deleted.assertStatus(204)
    assert.deepEqual(await countsOf(post.id), {
      likes_count: 1,
      comments_count: 1,
      likes: 1,
      comments: 1,
    })
    assert.deepInclude((await showPost(client, post.id)).body(), {
      likes_count: 1,
      comments_count: 1,
    })
  })
})

test.group('Comments and likes / notifications', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(async () => {
    await (await defaultQueue()).drain()
  })

  const notificationsOf = (client: ApiClient, user: User) =>
    as(client.get(route('api.notifications.index')), user)

  test('a comment and a like tell the post author, with the post', async ({ client, assert }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    ;(await comment(client, fan, post.id, 'nice')).assertStatus(201)
    ;(await like(client, fan, post.id)).assertStatus(204)
    await runQueuedJobs()

    const listed = (await notificationsOf(client, author)).body()
    assert.sameDeepMembers(
      listed.data.map((n: any) => [n.type, n.actor.id, n.post_id, n.read]),
      [
        ['like', fan.id, post.id, false],
        ['comment', fan.id, post.id, false],
      ]
    )
    assert.equal(listed.unread_count, 2)
    assert.lengthOf((await notificationsOf(client, fan)).body().data, 0)
  })

  test('one’s own comment or like notifies no one', async ({ client, assert }) => {
    const author = await UserFactory.create()
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    ;(await comment(client, author, post.id, 'me again')).assertStatus(201)
    ;(await like(client, author, post.id)).assertStatus(204)
    assert.lengthOf(await queuedJobs(), 0)
    assert.deepEqual(await new LikeNotificationOutbox().owed(500), [], 'her own like owes nothing')
    await runQueuedJobs()
    assert.lengthOf(await Notification.all(), 0)
  })

  test('like, unlike, like again: one notification, told once', async ({ client, assert }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    ;(await like(client, fan, post.id)).assertStatus(204)
    await runQueuedJobs()
    const [first] = await Notification.all()
    await Notification.query().update({ read_at: new Date() })

    ;(await unlike(client, fan, post.id)).assertStatus(204)
    ;(await like(client, fan, post.id)).assertStatus(204)
    await runQueuedJobs()
    const rows = await Notification.all()
    assert.deepEqual(
      rows.map((row) => [row.id, row.type, row.read]),
      [[first.id, 'like', true]]
    )
    // A second comment by the same person brings theirs back on top, unread.
    ;(await comment(client, fan, post.id, 'one')).assertStatus(201)
    await runQueuedJobs()
    await Notification.query().update({ read_at: new Date() })
    ;(await comment(client, fan, post.id, 'two')).assertStatus(201)
    await runQueuedJobs()
    const comments = await Notification.query().where('type', 'comment')
    assert.lengthOf(comments, 1)
    assert.isFalse(comments[0].read)
  })

  test('likes of two posts are two notifications', async ({ client, assert }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const posts = await Promise.all(
      ['one', 'two'].map((text) => Post.create({ userId: author.id, text }))
    )
    for (const post of posts) (await like(client, fan, post.id)).assertStatus(204)
    await runQueuedJobs()
    const rows = await Notification.all()
    assert.sameMembers(
      rows.map((row) => row.postId),
      posts.map((post) => post.id)
    )
  })
})

/**
 * Runs `work` on every item, `width` at a time: enough to race on the
 * post's row without queueing past the pool's acquire timeout.
 */
async function racing<T>(items: T[], width: number, work: (item: T) => Promise<unknown>) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item)
    })
  )
}

/**
 * Real concurrency needs real connections: no wrapping transaction here,
 * the tables are emptied instead.
 */
/**
 * One batch of two likes — `early` likes `first`, `late` likes `second` —
 * while another transaction holds `second`: the batch locks `first` and
 * waits; `meanwhile` then changes `late`'s like of `second` in that
 * transaction, which commits and lets the batch go on. `likedBefore`: `late`
 * likes `second` before the batch.
 */
async function likeWhileSecondIsHeld(
  tag: string,
  meanwhile: (holder: TransactionClientContract, post: number, user: number) => Promise<void>,
  { likedBefore = false } = {}
) {
  const [author, early, late] = await insertUsers(3, tag)
  const [first, second] = await insertPosts([author, author])
  const likes = await app.container.make(LikeService)
  const access = await app.container.make(PostAccess)
  if (likedBefore) await likes.like({ id: late }, second)
  // Both lenses kept first, so that the two likes reach the batch in one turn.
  await Promise.all([early, late].map((id) => access.lens({ id })))

  await whileRowIsHeld(
    'posts',
    second,
    () => Promise.all([likes.like({ id: early }, first), likes.like({ id: late }, second)]),
    { meanwhile: (holder) => meanwhile(holder, second, late) }
  )
  return { first, second }
}

test.group('Likes / a burst on one post', (group) => {
  // Emptied after too: the committed post (never fanned out) would look owed to later suites.
  group.each.setup(async () => {
    await truncateTables()
    return () => truncateTables()
  })
  isolateFeedState(group)

  test('likes waiting for a post’s row hold two pooled connections, not the pool: other queries still get theirs', async ({
    assert,
  }) => {
    const users = await insertUsers(30, 'queued')
    const [postId] = await insertPosts([users[0]])
    const likes = await app.container.make(LikeService)
    // Someone else holds the post's row meanwhile (one pooled connection).
    await whileRowIsHeld(
      'posts',
      postId,
      () => Promise.all(users.map((id) => likes.like({ id }, postId))),
      {
        waitMs: 300,
        // Thirty likes waiting on the row in MySQL would hold the pool's ten connections.
        meanwhile: async () => {
          const started = Date.now()
          assert.isNotNull(await db.from('users').where('id', users[1]).first())
          assert.isBelow(Date.now() - started, 500)
        },
      }
    )
    assert.deepInclude(await countsOf(postId), { likes_count: 30, likes: 30 })
  })

  test('likes that arrive together share one transaction; a refused one fails alone', async ({
    assert,
  }) => {
    const [author, fan, friendless, both] = await insertUsers(4, 'together')
    const [open, other, hidden] = await insertPosts([author, fan, friendless])
    await db.from('posts').where('id', hidden).update({ audience: 'friends' })
    const likes = await app.container.make(LikeService)
    await likes.like({ id: fan }, open)
    // Each user's relations kept first, so that the likes below all reach the batch in one turn.
    const access = await app.container.make(PostAccess)
    await Promise.all([author, friendless, both].map((id) => access.lens({ id })))

    let transactions = 0
    const transaction = db.transaction
    db.transaction = ((...args: Parameters<typeof transaction>) => {
      transactions++
      return transaction.apply(db, args)
    }) as typeof transaction
    let outcomes: PromiseSettledResult<void>[]
    try {
      outcomes = await Promise.allSettled([
        likes.like({ id: fan }, open), // liked already: nothing changes
        likes.like({ id: friendless }, open),
        likes.like({ id: both }, open),
        likes.like({ id: author }, open), // one's own post
        likes.like({ id: both }, other),
        likes.like({ id: both }, hidden), // friends only: refused, alone
        likes.like({ id: friendless }, other),
        likes.unlike({ id: friendless }, other), // taken back in the same batch
      ])
    } finally {
      db.transaction = transaction
    }

    assert.equal(transactions, 1)
    assert.deepEqual(
      outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? 'done' : (outcome.reason as { status: number }).status
      ),
      ['done', 'done', 'done', 'done', 'done', 404, 'done', 'done']
    )
    assert.deepInclude(await countsOf(open), { likes_count: 4, likes: 4 })
    assert.deepInclude(await countsOf(other), { likes_count: 1, likes: 1 })
    assert.deepInclude(await countsOf(hidden), { likes_count: 0, likes: 0 })
    // The author's own like is written settled; the others owe a notification.
    const owed = await db.from('likes').where('post_id', open).whereNull('notified_at')
    assert.sameMembers(
      owed.map((row) => row.user_id),
      [fan, friendless, both]
    )
  })

  test('a like written while a batch waited for its post is not counted twice', async ({
    assert,
  }) => {
    const { first, second } = await likeWhileSecondIsHeld('waited', async (holder, post, user) => {
      // It writes the same like the batch is about to.
      await holder.rawQuery(
        'INSERT INTO likes (post_id, user_id, created_at, notified_at) VALUES (?, ?, NOW(), NOW())',
        [post, user]
      )
      await holder.rawQuery('UPDATE posts SET likes_count = likes_count + 1 WHERE id = ?', [post])
    })
    assert.deepInclude(await countsOf(first), { likes_count: 1, likes: 1 })
    assert.deepInclude(await countsOf(second), { likes_count: 1, likes: 1 })
  })

  test('a like taken back while a batch waited for its post is written again', async ({
    assert,
  }) => {
    const { first, second } = await likeWhileSecondIsHeld(
      'unliked',
      async (holder, post, user) => {
        // It takes back the like the batch is about to write again.
        await holder.rawQuery('DELETE FROM likes WHERE post_id = ? AND user_id = ?', [post, user])
        await holder.rawQuery('UPDATE posts SET likes_count = likes_count - 1 WHERE id = ?', [post])
      },
      { likedBefore: true }
    )
    assert.deepInclude(await countsOf(first), { likes_count: 1, likes: 1 })
    assert.deepInclude(await countsOf(second), { likes_count: 1, likes: 1 })
  })

  test('a like whose account is gone fails alone, not its batch', async ({ assert }) => {
    const [author, fan] = await insertUsers(2, 'gone')
    const [postId] = await insertPosts([author])
    const likes = await app.container.make(LikeService)
    const access = await app.container.make(PostAccess)
    const gone = { id: fan + 1000 }
    await Promise.all([{ id: fan }, gone].map((user) => access.lens(user)))

    const outcomes = await Promise.allSettled([
      likes.like({ id: fan }, postId),
      likes.like(gone, postId),
    ])
    assert.deepEqual(
      outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? 'done' : (outcome.reason as { status: number }).status
      ),
      ['done', 404]
    )
    assert.deepInclude(await countsOf(postId), { likes_count: 1, likes: 1 })
  })

  test('1,000 likes racing, then 500 unlikes: the count is exact everywhere', async ({
    client,
    assert,
  }) => {
    const users = await insertUsers(1000, 'burst')
    const [postId] = await insertPosts([users[0]])
    const likes = await app.container.make(LikeService)
    const cache = await app.container.make(PostCache)
    await cache.get(postId)

    await racing(users, 40, (id) => likes.like({ id }, postId))
    assert.deepInclude(await countsOf(postId), { likes_count: 1000, likes: 1000 })
    assert.equal((await cache.get(postId))?.likes_count, 1000)
    assert.equal((await showPost(client, postId)).body().likes_count, 1000)

    await racing(users.slice(0, 500), 40, (id) => likes.unlike({ id }, postId))
    await racing(users.slice(0, 10), 10, (id) => likes.unlike({ id }, postId))
    assert.deepInclude(await countsOf(postId), { likes_count: 500, likes: 500 })
    assert.equal((await cache.get(postId))?.likes_count, 500)
    assert.equal((await showPost(client, postId)).body().likes_count, 500)
  }).timeout(120_000)
})
