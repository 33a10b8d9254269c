import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import drive from '@adonisjs/drive/services/main'
import { UserFactory } from '#database/factories/user_factory'
import { FriendshipsService } from '#services/friends/friendships_service'
import { TimelineStore } from '#services/posts/timeline_store'
import FriendRequest from '#models/friend_request'
import { isolateDatabase, route } from '#tests/helpers'
import { drainFanOuts, isolateFeedState } from '#tests/posts_helpers'
import { befriend } from '#tests/feed_graph'
import type User from '#models/user'
import type { ApiClient } from '@japa/api-client'

async function post(client: ApiClient, author: User, text: string) {
  const response = await client
    .post(route('api.posts.store'))
    .withGuard('api')
    .loginAs(author)
    .json({ text })
  response.assertStatus(201)
  return response.body().id as number
}

async function feedIds(client: ApiClient, user: User, qs: Record<string, unknown> = {}) {
  const response = await client.get(route('api.feed')).withGuard('api').loginAs(user).qs(qs)
  response.assertStatus(200)
  return response.body().data.map((item: { id: number }) => item.id) as number[]
}

test.group('API / the home feed', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('401 without a token; 422 for a bad page', async ({ client }) => {
    ;(await client.get(route('api.feed'))).assertStatus(401)
    const user = await UserFactory.create()
    for (const qs of [{ limit: 0 }, { limit: 51 }, { before: 'x' }]) {
      ;(await client.get(route('api.feed')).withGuard('api').loginAs(user).qs(qs)).assertStatus(422)
    }
  })

  test("own and friends' posts, newest first, never a stranger's", async ({ client, assert }) => {
    const [me, friend, stranger] = await UserFactory.createMany(3)
    await befriend([[me.id, friend.id]])
    const mine = await post(client, me, 'mine')
    const theirs = await post(client, friend, 'theirs')
    await post(client, stranger, 'not for me')
    await drainFanOuts()

    const response = await client.get(route('api.feed')).withGuard('api').loginAs(me)
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((item: { id: number }) => item.id),
      [theirs, mine]
    )
    assert.equal(response.body().data[0].author.id, friend.id)
    assert.isNull(response.body().next)
  })

  test('my own post is in my feed as soon as it is created', async ({ client, assert }) => {
    const me = await UserFactory.create()
    assert.deepEqual(await feedIds(client, me), [])
    const id = await post(client, me, 'hello')
    assert.deepEqual(await feedIds(client, me), [id])
  })

  test('pages by id with a before cursor; a post written meanwhile is neither repeated nor skipped', async ({
    client,
    assert,
  }) => {
    const [me, friend] = await UserFactory.createMany(2)
    await befriend([[me.id, friend.id]])
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      const id = await post(client, i % 2 ? me : friend, `post ${i}`)
      await drainFanOuts()
      ids.push(id)
    }
    const first = await client.get(route('api.feed')).withGuard('api').loginAs(me).qs({ limit: 2 })
    assert.equal(first.body().next, `/api/feed?before=${ids[3]}&limit=2`)

    await post(client, friend, 'newer, written while paging')
    await drainFanOuts()
    const seen = first.body().data.map((item: { id: number }) => item.id)
    let next: string | null = first.body().next
    while (next) {
      const page: any = await client.get(next).withGuard('api').loginAs(me)
      seen.push(...page.body().data.map((item: { id: number }) => item.id))
      next = page.body().next
    }
    assert.deepEqual(seen, [...ids].reverse())
  })

  test('a deleted post leaves the feed at once, before any clean-up job', async ({
    client,
    assert,
  }) => {
    const [me, friend] = await UserFactory.createMany(2)
    await befriend([[me.id, friend.id]])
    const keep = await post(client, friend, 'keep')
    const gone = await post(client, friend, 'gone')
    await drainFanOuts()
    assert.deepEqual(await feedIds(client, me), [gone, keep])

    ;(
      await client
        .delete(route('api.posts.destroy', { id: gone }))
        .withGuard('api')
        .loginAs(friend)
    ).assertStatus(204)
    assert.deepEqual(await feedIds(client, me), [keep])
  })

  test("an unfriended friend's posts leave the feed at once, both ways", async ({
    client,
    assert,
  }) => {
    const [me, friend] = await UserFactory.createMany(2)
    await befriend([[me.id, friend.id]])
    const mine = await post(client, me, 'mine')
    const theirs = await post(client, friend, 'theirs')
    await drainFanOuts()
    assert.deepEqual(await feedIds(client, me), [theirs, mine])

    ;(
      await client
        .delete(route('api.friends.destroy', { user_id: friend.id }))
        .withGuard('api')
        .loginAs(me)
    ).assertStatus(204)
    assert.deepEqual(await feedIds(client, me), [mine])
    assert.deepEqual(await feedIds(client, friend), [theirs])
  })

  test("a new friend's earlier posts join the feed once the request is accepted", async ({
    client,
    assert,
  }) => {
    const [me, other] = await UserFactory.createMany(2)
    const older = await post(client, other, 'before we met')
    const mine = await post(client, me, 'mine')
    assert.deepEqual(await feedIds(client, me), [mine])

    const friendships = await app.container.make(FriendshipsService)
    await friendships.send(me.id, other.id)
    const request = await FriendRequest.query().where('senderId', me.id).firstOrFail()
    ;(
      await client
        .post(route('api.friend_requests.accept', { id: request.id }))
        .withGuard('api')
        .loginAs(other)
    ).assertStatus(200)

    assert.deepEqual(await feedIds(client, me), [mine, older])
    assert.deepEqual(await feedIds(client, other), [mine, older])
  })

  test('a missing timeline is rebuilt from MySQL on read', async ({ client, assert }) => {
    const [me, friend] = await UserFactory.createMany(2)
    await befriend([[me.id, friend.id]])
    const theirs = await post(client, friend, 'not fanned out to me')
    await new TimelineStore().drop(me.id)
    assert.deepEqual(await feedIds(client, me), [theirs])
  })
})

test.group('Web / the feed and post pages', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('GET /feed: guests go to sign in; the signed-in see a composer and an empty state', async ({
    client,
    assert,
  }) => {
    const guest = await client.get(route('feed')).redirects(0)
    guest.assertStatus(302)
    guest.assertHeader('location', route('login'))

    const me = await UserFactory.create()
    const page = await client.get(route('feed')).loginAs(me)
    page.assertStatus(200)
    const html = page.text()
    assert.include(html, 'enctype="multipart/form-data"')
    assert.include(html, '<label for="field-text">')
    assert.include(html, '<label for="field-image">')
    assert.include(html, 'data-count-for="field-text"')
    assert.include(html, 'Nothing here yet')
    assert.notMatch(html, /<script(?![^>]*src=)/)
  })

  test('the composer posts text and a picture, then the feed shows it', async ({
    client,
    assert,
  }) => {
    const me = await UserFactory.create()
    const { jpegWithExif } = await import('#tests/helpers')
    const response = await client
      .post(route('posts.store'))
      .loginAs(me)
      .withCsrfToken()
      .field('text', 'From the form')
      .file('image', await jpegWithExif(), { filename: 'a.jpg' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('feed'))

    const page = await client.get(route('feed')).loginAs(me)
    assert.include(page.text(), 'From the form')
    assert.match(
      page.text(),
      /<img class="post-image" src="\/media\/post_images\/[0-9a-f-]+\.webp"/
    )
  })

  test('an empty composer comes back with the message beside the field', async ({ client }) => {
    const me = await UserFactory.create()
    const response = await client
      .post(route('posts.store'))
      .loginAs(me)
      .withCsrfToken()
      .header('referer', route('feed'))
      .form({ text: '   ' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('feed'))
    response.assertHasValidationError('text')
  })

  test('"Older posts" is a plain link to the next page', async ({ client, assert }) => {
    const me = await UserFactory.create()
    const ids: number[] = []
    for (let i = 0; i < 21; i++) ids.push(await post(client, me, `post ${i}`))
    const first = await client.get(route('feed')).loginAs(me)
    assert.include(first.text(), `href="/feed?before=${ids[1]}"`)
    assert.include(first.text(), 'Older posts')
    const second = await client.get(route('feed')).qs({ before: ids[1] }).loginAs(me)
    assert.include(second.text(), 'post 0')
    assert.notInclude(second.text(), 'post 1<')
  })

  test('GET /posts/:id for anyone; 404 page for an unknown post; the author deletes it', async ({
    client,
    assert,
  }) => {
    const me = await UserFactory.create()
    const id = await post(client, me, 'A page of its own')
    const page = await client.get(route('posts.show', { id }))
    page.assertStatus(200)
    assert.include(page.text(), 'A page of its own')
    assert.notInclude(page.text(), 'Delete this post')
    ;(await client.get(route('posts.show', { id: 999999 }))).assertStatus(404)

    const own = await client.get(route('posts.show', { id })).loginAs(me)
    assert.include(own.text(), 'Delete this post')
    const deleted = await client
      .delete(route('posts.destroy', { id }))
      .loginAs(me)
      .withCsrfToken()
      .redirects(0)
    deleted.assertStatus(302)
    ;(await client.get(route('posts.show', { id }))).assertStatus(404)
  })

  test("another user's post cannot be deleted from the page (403)", async ({ client }) => {
    const [me, other] = await UserFactory.createMany(2)
    const id = await post(client, other, 'theirs')
    const response = await client
      .delete(route('posts.destroy', { id }))
      .loginAs(me)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(403)
  })

  test("the profile page lists the user's posts; a cookieless visitor sees a new post at once", async ({
    client,
    assert,
  }) => {
    const me = await UserFactory.create()
    const { rawRequest } = await import('#tests/helpers')
    const empty = await rawRequest(`/users/${me.id}`, {})
    assert.include(await empty.text(), 'has not posted yet')

    await post(client, me, 'Fresh from the oven')
    const cached = await rawRequest(`/users/${me.id}`, {})
    assert.include(await cached.text(), 'Fresh from the oven')

    const own = await client.get(route('users.show', { id: me.id })).loginAs(me)
    assert.include(own.text(), 'Fresh from the oven')
  })
})
