import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import sharp from 'sharp'
import drive from '@adonisjs/drive/services/main'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import { PostCache } from '#cache/post_cache'
import { PostService } from '#services/posts/post_service'
import { LikeService } from '#services/likes/like_service'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, jpegWithExif, rawRequest, route } from '#tests/helpers'
import User from '#models/user'
import { isolateFeedState } from '#tests/posts_helpers'

const POST_KEYS = [
  'id',
  'author',
  'text',
  'image',
  'audience',
  'likes_count',
  'comments_count',
  'created_at',
  'updated_at',
  'liked',
  'edited_at',
]
const SUMMARY_KEYS = ['id', 'username', 'first_name', 'last_name', 'profile_picture']

test.group('API / create a post', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('JSON text: 201 with the post and its author summary', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: '  Hello, world  ' })

    response.assertStatus(201)
    const post = response.body()
    assert.sameMembers(Object.keys(post), POST_KEYS)
    assert.sameMembers(Object.keys(post.author), SUMMARY_KEYS)
    assert.equal(post.author.id, user.id)
    assert.equal(post.text, 'Hello, world')
    assert.isNull(post.image)
    assert.match(post.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.equal((await Post.findOrFail(post.id)).userId, user.id)
    assert.isFalse(post.liked)
    // The 201 is the post as its author reads it afterwards.
    const read = await client
      .get(route('api.posts.show', { id: post.id }))
      .withGuard('api')
      .loginAs(user)
    assert.deepEqual(read.body(), post)
  })

  test('multipart with a picture: re-encoded WebP without EXIF, served under /media', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .file('image', await jpegWithExif(2400, 1200), { filename: 'beach.jpg' })

    response.assertStatus(201)
    const url: string = response.body().image
    assert.match(url, /^\/media\/post_images\/[0-9a-f-]{36}\.webp$/)
    assert.isNull(response.body().text)
    const metadata = await sharp(await drive.use().getBytes(url.replace('/media/', ''))).metadata()
    assert.equal(metadata.format, 'webp')
    assert.equal(metadata.width, 1600)
    assert.equal(metadata.height, 800)
    assert.isUndefined(metadata.exif)
  })

  test('multipart with text and a picture', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .field('text', 'Look')
      .file('image', await jpegWithExif(), { filename: 'a.jpg' })
    response.assertStatus(201)
    assert.equal(response.body().text, 'Look')
    assert.isString(response.body().image)

    // With a picture, blank text is no text.
    const blank = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .field('text', '   ')
      .file('image', await jpegWithExif(), { filename: 'b.jpg' })
    blank.assertStatus(201)
    assert.isNull(blank.body().text)
  })

  for (const [name, body] of [
    ['nothing', {}],
    ['empty text', { text: '' }],
    ['blank text', { text: '   \n ' }],
    ['null text', { text: null }],
  ] as const) {
    test(`422 for ${name}: text or a picture is needed`, async ({ client }) => {
      const user = await UserFactory.create()
      const response = await client
        .post(route('api.posts.store'))
        .withGuard('api')
        .loginAs(user)
        .json(body)
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'text', rule: 'required' }] })
    })
  }

  test('422 for text over 500 characters, 201 at exactly 500', async ({ client }) => {
    const user = await UserFactory.create()
    const over = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: 'x'.repeat(501) })
    over.assertStatus(422)
    over.assertBodyContains({ errors: [{ field: 'text', rule: 'maxLength' }] })

    const exact = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: ` ${'y'.repeat(498)}\r\nz\n ` })
    exact.assertStatus(201)
  })

  test('422 for control characters and for text that is not a string', async ({ client }) => {
    const user = await UserFactory.create()
    const control = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: 'bell \u0007 here' })
    control.assertStatus(422)
    control.assertBodyContains({ errors: [{ field: 'text', rule: 'controlCharacters' }] })

    const number = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: 5 })
    number.assertStatus(422)
  })

  test('422 for a file that is not an image; nothing stored', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .file('image', Buffer.from('not an image at all'), { filename: 'fake.png' })
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'image', rule: 'file.image' }] })
    assert.isNull(await Post.findBy('userId', user.id))
  })

  test('413 for a picture over the size limit', async ({ client }) => {
    const user = await UserFactory.create()
    const big = Buffer.alloc(2 * 1024 * 1024 + 10, 1)
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .file('image', big, { filename: 'big.jpg' })
    response.assertStatus(413)
    response.assertBodyContains({ errors: [{ field: 'image', rule: 'file.size' }] })
  })

  test('401 without a token, 403 for an unconfirmed email', async ({ client }) => {
    const anonymous = await client.post(route('api.posts.store')).json({ text: 'hi' })
    anonymous.assertStatus(401)

    const unverified = await UserFactory.apply('unverified').create()
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(unverified)
      .json({ text: 'hi' })
    response.assertStatus(403)
    response.assertBodyContains({ errors: [{ rule: 'email_unverified' }] })
  })

  test('malformed JSON is a 400', async () => {
    const user = await UserFactory.create()
    const token = await User.accessTokens.create(user)
    const response = await rawRequest('/api/posts', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'authorization': `Bearer ${token.value!.release()}`,
      },
      body: '{"text": ',
    })
    if (response.status !== 400) throw new Error(`expected 400, got ${response.status}`)
  })
})

test.group('API / read, edit and delete a post', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  async function postBy(user: Awaited<ReturnType<typeof UserFactory.create>>, client: any) {
    const response = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .json({ text: 'first' })
    return response.body()
  }

  test('GET: anyone reads a post; 404 for an unknown one', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const created = await postBy(user, client)
    const response = await client.get(route('api.posts.show', { id: created.id }))
    response.assertStatus(200)
    assert.deepEqual(response.body(), created)
    ;(await client.get(route('api.posts.show', { id: 999999 }))).assertStatus(404)
    ;(await client.get('/api/posts/abc')).assertStatus(404)
  })

  test('PATCH: the author edits the text; the next read shows it', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const created = await postBy(user, client)
    const latest = route('api.users.posts', { id: user.id })
    // Read first, so the post and the author's latest posts are cached.
    await client.get(route('api.posts.show', { id: created.id }))
    await client.get(latest)
    const response = await client
      .patch(route('api.posts.update', { id: created.id }))
      .withGuard('api')
      .loginAs(user)
      .json({ text: 'edited' })
    response.assertStatus(200)
    assert.equal(response.body().text, 'edited')
    assert.equal(
      (await client.get(route('api.posts.show', { id: created.id }))).body().text,
      'edited'
    )
    assert.equal((await client.get(latest)).body().data[0].text, 'edited')
  })

  test('PATCH: 401, 403 for another user, 404, 422', async ({ client }) => {
    const [author, other] = await UserFactory.createMany(2)
    const created = await postBy(author, client)
    ;(
      await client.patch(route('api.posts.update', { id: created.id })).json({ text: 'x' })
    ).assertStatus(401)
    ;(
      await client
        .patch(route('api.posts.update', { id: created.id }))
        .withGuard('api')
        .loginAs(other)
        .json({ text: 'x' })
    ).assertStatus(403)
    ;(
      await client
        .patch(route('api.posts.update', { id: 999999 }))
        .withGuard('api')
        .loginAs(author)
        .json({ text: 'x' })
    ).assertStatus(404)
    const long = await client
      .patch(route('api.posts.update', { id: created.id }))
      .withGuard('api')
      .loginAs(author)
      .json({ text: 'x'.repeat(501) })
    long.assertStatus(422)
    // A text-only post cannot lose its text.
    const empty = await client
      .patch(route('api.posts.update', { id: created.id }))
      .withGuard('api')
      .loginAs(author)
      .json({ text: '' })
    empty.assertStatus(422)
    empty.assertBodyContains({ errors: [{ field: 'text', rule: 'required' }] })
  })

  test('PATCH: a post with a picture may lose its text', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const created = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .field('text', 'caption')
      .file('image', await jpegWithExif(), { filename: 'a.jpg' })
    const response = await client
      .patch(route('api.posts.update', { id: created.body().id }))
      .withGuard('api')
      .loginAs(user)
      .json({ text: null })
    response.assertStatus(200)
    assert.isNull(response.body().text)
  })

  test('DELETE: 204, the post and its picture are gone', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const created = await client
      .post(route('api.posts.store'))
      .withGuard('api')
      .loginAs(user)
      .file('image', await jpegWithExif(), { filename: 'a.jpg' })
    const { id, image } = created.body()
    assert.isTrue(await drive.use().exists(image.replace('/media/', '')))

    const response = await client
      .delete(route('api.posts.destroy', { id }))
      .withGuard('api')
      .loginAs(user)
    response.assertStatus(204)
    assert.isNull(await Post.find(id))
    assert.isFalse(await drive.use().exists(image.replace('/media/', '')))
    ;(await client.get(route('api.posts.show', { id }))).assertStatus(404)
  })

  test('DELETE: 401, 403 for another user, 404', async ({ client, assert }) => {
    const [author, other] = await UserFactory.createMany(2)
    const created = await postBy(author, client)
    ;(await client.delete(route('api.posts.destroy', { id: created.id }))).assertStatus(401)
    ;(
      await client
        .delete(route('api.posts.destroy', { id: created.id }))
        .withGuard('api')
        .loginAs(other)
    ).assertStatus(403)
    ;(
      await client
        .delete(route('api.posts.destroy', { id: 999999 }))
        .withGuard('api')
        .loginAs(author)
    ).assertStatus(404)
    assert.isNotNull(await Post.find(created.id))
  })
})

test.group("API / a user's posts", (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('pages newest first by id, with next links, and 404 for an unknown user', async ({
    client,
    assert,
  }) => {
    const [user, other] = await UserFactory.createMany(2)
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await Post.create({ userId: user.id, text: `post ${i}` })).id)
    }
    await Post.create({ userId: other.id, text: 'not theirs' })

    const first = await client.get(route('api.users.posts', { id: user.id })).qs({ limit: 2 })
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((post: { id: number }) => post.id),
      [ids[4], ids[3]]
    )
    assert.equal(first.body().next, `/api/users/${user.id}/posts?before=${ids[3]}&limit=2`)

    const seen: number[] = []
    let next: string | null = `/api/users/${user.id}/posts?limit=2`
    while (next) {
      const page: any = await client.get(next)
      seen.push(...page.body().data.map((post: { id: number }) => post.id))
      next = page.body().next
    }
    assert.deepEqual(seen, [...ids].reverse())

    ;(await client.get(route('api.users.posts', { id: 999999 }))).assertStatus(404)
  })

  test('422 for a bad limit or before', async ({ client }) => {
    const user = await UserFactory.create()
    for (const qs of [
      { limit: 0 },
      { limit: 51 },
      { limit: 'x' },
      { before: -1 },
      { before: 1.5 },
    ]) {
      ;(await client.get(route('api.users.posts', { id: user.id })).qs(qs)).assertStatus(422)
    }
  })
})

test.group("Posts / the viewer's parts", (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('two viewers of one cached post get their own parts; the cache keeps none', async ({
    client,
    assert,
  }) => {
    const [author, other] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Cached once' })
    const api = route('api.posts.show', { id: post.id })
    const page = route('posts.show', { id: post.id })

    // A visitor's read fills the shared Redis entry; both viewers read that entry.
    const visitor = (await client.get(api)).body()
    const cached = await redis.get(`post:v4:${post.id}`)
    assert.isNotNull(cached)
    // A like row (not counted: the shared entry stays the visitor's).
    await db.table('likes').insert({ post_id: post.id, user_id: other.id, created_at: new Date() })

    const authorPage = await client.get(page).loginAs(author)
    const otherPage = await client.get(page).loginAs(other)
    assert.include(authorPage.text(), 'Delete this post')
    assert.include(otherPage.text(), 'Cached once')
    assert.notInclude(otherPage.text(), 'Delete this post')

    // The API's Post is the contract's for every viewer, `liked` their own.
    for (const [viewer, liked] of [
      [author, false],
      [other, true],
    ] as const) {
      const shown = await client.get(api).withGuard('api').loginAs(viewer)
      assert.deepEqual(shown.body(), { ...visitor, liked })
    }
    assert.isFalse(visitor.liked)
    assert.sameMembers(Object.keys(visitor), POST_KEYS)
    assert.equal(await redis.get(`post:v4:${post.id}`), cached)
    const entry = JSON.parse(cached!.slice(cached!.indexOf(':') + 1))
    assert.notProperty(entry, 'viewer')
    assert.notProperty(entry, 'liked')
  })

  test('the shared entry keeps the newest of refreshes that arrive out of order, and a deletion', async ({
    assert,
  }) => {
    const [author, fan1, fan2] = await UserFactory.createMany(3)
    const post = await Post.create({ userId: author.id, text: 'Liked twice' })
    const cache = await app.container.make(PostCache)
    const likes = await app.container.make(LikeService)
    const late = (likesCount: number, version: number) =>
      cache.refresh(post.id, { data: { ...post.toData(), likes_count: likesCount }, version })

    await likes.like(fan1, post.id)
    await likes.like(fan2, post.id)
    // The first like's refresh (version 1) arrives after the second's.
    await late(1, 1)
    assert.equal((await cache.get(post.id))?.likes_count, 2)

    // An edit is newer than every like before it.
    await (await app.container.make(PostService)).update(post, { text: 'Edited' })
    await late(2, 2)
    assert.equal((await cache.get(post.id))?.text, 'Edited')
    assert.equal((await cache.get(post.id))?.likes_count, 2)

    await (await app.container.make(PostService)).delete(post)
    await late(2, 9)
    assert.isNull(await cache.get(post.id), 'a late refresh does not bring a deleted post back')
  })
})
