import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { ApiClient } from '@japa/api-client'
import { UserFactory } from '#database/factories/user_factory'
import type User from '#models/user'
import { CacheStores } from '#cache/stores'
import { NotificationService } from '#services/notifications/notification_service'
import { befriend } from '#tests/friends'
import { isolateDatabase, rawRequest, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'

/*
| Every read path, tried by people who must not see a thing: a stranger, a
| signed-out visitor (with and without the cookieless page cache), a former
| friend and a blocked person, right after the change that hid it. The same
| probes find the thing for a friend first, so each probe can fail.
*/

const SECRET = 'only-for-friends-7f3a'
const PUBLIC = 'for-everyone-2c9d'

interface Read {
  path: string
  status: number
  text: string
}

/** A read as `reader` (null: a visitor): the API with a bearer token, pages with a session. */
async function read(client: ApiClient, reader: User | null, path: string): Promise<Read> {
  const api = path.startsWith('/api/')
  if (!reader) {
    // No cookie at all: the way the cookieless page cache serves.
    const response = await rawRequest(path, {})
    return { path, status: response.status, text: await response.text() }
  }
  const request = client.get(path)
  const response = await (api ? request.withGuard('api').loginAs(reader) : request.loginAs(reader))
  return { path, status: response.status(), text: response.text() }
}

/** Every place a post of `author` could show up to `reader`. */
async function postPaths(client: ApiClient, reader: User | null, author: User, postId: number) {
  const paths = [
    route('api.posts.show', { id: postId }),
    route('api.users.posts', { id: author.id }),
    route('posts.show', { id: postId }),
    route('users.show', { id: author.id }),
  ]
  if (reader) paths.push(route('api.feed'), route('feed'))
  const reads: Read[] = []
  for (const path of paths) reads.push(await read(client, reader, path))
  // The cookieless profile twice: the first fills the page cache, the second is served from it.
  if (!reader) reads.push(await read(client, null, route('users.show', { id: author.id })))
  return reads
}

/** Every place `author` (the person) could show up to `reader`. */
async function personPaths(client: ApiClient, reader: User, author: User) {
  const paths = [
    route('api.users.show', { id: author.id }),
    route('api.users.posts', { id: author.id }),
    route('api.users.friends', { id: author.id }),
    `${route('api.users.index')}?q=${author.username}`,
    route('api.feed'),
    route('api.notifications.index'),
    route('users.show', { id: author.id }),
    `${route('people')}?q=${author.username}`,
    route('feed'),
  ]
  const reads: Read[] = []
  for (const path of paths) reads.push(await read(client, reader, path))
  return reads
}

function assertSees(assert: any, reads: Read[], marker: string) {
  for (const { path, status, text } of reads) {
    assert.equal(status, 200, path)
    if (!path.includes('/notifications')) assert.include(text, marker, path)
  }
}

/** How a person shows: `@name` on pages, their summary in JSON (a search box echoes the bare query). */
const shown = (user: User) => (path: string) =>
  path.startsWith('/api/') ? `"username":"${user.username}"` : `@${user.username}`

function assertNothing(
  assert: any,
  reads: Read[],
  marker: string | ((path: string) => string),
  mustBe404: RegExp
) {
  for (const { path, status, text } of reads) {
    assert.notInclude(text, typeof marker === 'string' ? marker : marker(path), `${path} shows it`)
    if (mustBe404.test(path)) assert.equal(status, 404, path)
  }
}

async function publish(client: ApiClient, author: User, text: string, audience: string) {
  const response = await client
    .post(route('api.posts.store'))
    .withGuard('api')
    .loginAs(author)
    .json({ text, audience })
  response.assertStatus(201)
  return response.body().id as number
}

/** Paths that answer 404 to someone who may not see the post (the lists answer 200 without it). */
const POST_404 = /^\/(api\/)?posts\/\d+$/

test.group('Visibility leaks / a friends-only post', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('a friend sees it everywhere; a stranger and a visitor nowhere, cached page included', async ({
    client,
    assert,
  }) => {
    const [author, friend, stranger] = await UserFactory.createMany(3)
    await befriend(author, friend)
    const postId = await publish(client, author, SECRET, 'friends')
    await publish(client, author, PUBLIC, 'public')

    assertSees(assert, await postPaths(client, friend, author, postId), SECRET)
    assertSees(assert, await postPaths(client, author, author, postId), SECRET)

    assertNothing(assert, await postPaths(client, stranger, author, postId), SECRET, POST_404)
    const stores = await app.container.make(CacheStores)
    const hits = stores.pages.hits
    const visitor = await postPaths(client, null, author, postId)
    assertNothing(assert, visitor, SECRET, POST_404)
    assert.equal(stores.pages.hits, hits + 1, 'the second cookieless profile came from the cache')
    // The public post still shows to them: the probes read real pages.
    for (const reader of [stranger, null]) {
      const profile = await read(client, reader, route('users.show', { id: author.id }))
      assert.include(profile.text, PUBLIC)
    }
  })

  test('a former friend loses it at once after the unfriend, on every path', async ({
    client,
    assert,
  }) => {
    const [author, friend] = await UserFactory.createMany(2)
    await befriend(author, friend)
    const postId = await publish(client, author, SECRET, 'friends')
    assertSees(assert, await postPaths(client, friend, author, postId), SECRET)

    const unfriend = await client
      .delete(route('api.friends.destroy', { user_id: author.id }))
      .withGuard('api')
      .loginAs(friend)
    unfriend.assertStatus(204)
    assertNothing(assert, await postPaths(client, friend, author, postId), SECRET, POST_404)
  })

  test('a narrowed audience hides a post at once, cached page included', async ({
    client,
    assert,
  }) => {
    const [author, stranger] = await UserFactory.createMany(2)
    const postId = await publish(client, author, SECRET, 'public')
    const strangerBefore = await postPaths(client, stranger, author, postId)
    // Not a friend: the author's posts are not in their feed whatever the audience.
    assertSees(
      assert,
      strangerBefore.filter(({ path }) => !path.endsWith('/feed')),
      SECRET
    )
    const visitorBefore = await postPaths(client, null, author, postId)
    assertSees(assert, visitorBefore, SECRET)

    const narrowed = await client
      .patch(route('api.posts.update', { id: postId }))
      .withGuard('api')
      .loginAs(author)
      .json({ audience: 'friends' })
    narrowed.assertStatus(200)
    assert.equal(narrowed.body().audience, 'friends')
    assertNothing(assert, await postPaths(client, stranger, author, postId), SECRET, POST_404)
    assertNothing(assert, await postPaths(client, null, author, postId), SECRET, POST_404)
  })
})

test.group('Visibility leaks / a block', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  for (const blocker of ['author', 'reader'] as const) {
    test(`the ${blocker} blocks: each is gone for the other on every path, at once`, async ({
      client,
      assert,
    }) => {
      const [author, reader] = await UserFactory.createMany(2)
      await befriend(author, reader)
      const postId = await publish(client, author, SECRET, 'friends')
      await publish(client, reader, PUBLIC, 'public')
      // A notification between them from before the block.
      const notifications = await app.container.make(NotificationService)
      const intent = { type: 'friend_accepted' as const, subjectId: 1, at: Date.now() }
      await notifications.record({ ...intent, recipientId: reader.id, actorId: author.id })

      // Before: every probe finds them (so each can fail).
      for (const { path, status, text } of await personPaths(client, reader, author)) {
        assert.equal(status, 200, path)
        if (!path.includes('/friends')) assert.include(text, shown(author)(path), path)
        if (/posts|feed|^\/users/.test(path)) assert.include(text, SECRET, path)
      }

      const [who, whom] = blocker === 'author' ? [author, reader] : [reader, author]
      const blocked = await client
        .put(route('api.blocks.store', { id: whom.id }))
        .withGuard('api')
        .loginAs(who)
      blocked.assertStatus(204)

      const mustBe404 = /^\/(api\/)?users\/\d+(\/posts|\/friends)?$|^\/(api\/)?posts\/\d+$/
      for (const [viewer, other] of [
        [reader, author],
        [author, reader],
      ]) {
        const reads = await personPaths(client, viewer, other)
        assertNothing(assert, reads, shown(other), mustBe404)
        const text = viewer === reader ? SECRET : PUBLIC
        assertNothing(assert, reads, text, mustBe404)
      }
      assertNothing(assert, await postPaths(client, reader, author, postId), SECRET, POST_404)

      // Nothing new from the other either.
      const again = await notifications.record({
        ...intent,
        at: Date.now() + 1000,
        recipientId: reader.id,
        actorId: author.id,
      })
      assert.isNull(again)
    })
  }
})
