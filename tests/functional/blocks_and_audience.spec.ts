import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import { UserFactory } from '#database/factories/user_factory'
import { Moderation } from '#services/moderation/moderation'
import type User from '#models/user'
import { befriend, friendshipRows, requestBetween } from '#tests/friends'
import { isolateDatabase, route } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'

const api = (client: ApiClient, user: User) => ({
  block: (other: number) =>
    client
      .put(route('api.blocks.store', { id: other }))
      .withGuard('api')
      .loginAs(user),
  unblock: (other: number) =>
    client
      .delete(route('api.blocks.destroy', { id: other }))
      .withGuard('api')
      .loginAs(user),
  blocks: (qs: Record<string, unknown> = {}) =>
    client.get(route('api.blocks')).withGuard('api').loginAs(user).qs(qs),
  me: (body: Record<string, unknown>) =>
    client.patch(route('api.me.update')).withGuard('api').loginAs(user).json(body),
  post: (body: Record<string, unknown>) =>
    client.post(route('api.posts.store')).withGuard('api').loginAs(user).json(body),
})

test.group('API / blocks', (group) => {
  isolateDatabase(group)

  test('PUT: 204, again 204; ends the friendship and pending requests both ways', async ({
    client,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    await befriend(ada, bob)
    await requestBetween(cy, ada)
    ;(await api(client, ada).block(bob.id)).assertStatus(204)
    ;(await api(client, ada).block(bob.id)).assertStatus(204)
    ;(await api(client, ada).block(cy.id)).assertStatus(204)

    assert.lengthOf(await friendshipRows(ada, bob), 0)
    const pending = await db.from('friend_requests').where('status', 'pending')
    assert.lengthOf(pending, 0)
    const rows = await db.from('blocks').where('blocker_id', ada.id).orderBy('blocked_id')
    assert.deepEqual(
      rows.map((row) => row.blocked_id),
      [bob.id, cy.id]
    )
  })

  test('PUT: 404 unknown user, 422 yourself, 401 without a token', async ({ client }) => {
    const ada = await UserFactory.create()
    ;(await api(client, ada).block(ada.id + 1000)).assertStatus(404)
    const self = await api(client, ada).block(ada.id)
    self.assertStatus(422)
    self.assertBodyContains({ errors: [{ rule: 'not_self' }] })
    ;(await client.put(route('api.blocks.store', { id: ada.id }))).assertStatus(401)
  })

  test('neither may send the other a friend request (404, as if absent)', async ({ client }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    ;(await api(client, ada).block(bob.id)).assertStatus(204)
    for (const [sender, receiver] of [
      [ada, bob],
      [bob, ada],
    ]) {
      const response = await client
        .post(route('api.friend_requests.store'))
        .withGuard('api')
        .loginAs(sender)
        .json({ receiver_id: receiver.id })
      response.assertStatus(404)
    }
  })

  test('GET /api/blocks pages the people blocked; DELETE lifts only your own block', async ({
    client,
    assert,
  }) => {
    const [ada, bob, cy, dee] = await UserFactory.createMany(4)
    for (const other of [bob, cy, dee]) (await api(client, ada).block(other.id)).assertStatus(204)
    ;(await api(client, bob).block(ada.id)).assertStatus(204)

    const first = await api(client, ada).blocks({ limit: 2 })
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((user: { id: number }) => user.id),
      [dee.id, cy.id]
    )
    assert.equal(first.body().next, `/api/blocks?before=${cy.id}&limit=2`)

    ;(await api(client, ada).unblock(bob.id)).assertStatus(204)
    ;(await api(client, ada).unblock(bob.id)).assertStatus(204)
    ;(await api(client, ada).unblock(ada.id + 1000)).assertStatus(404)
    const after = await api(client, ada).blocks()
    assert.deepEqual(
      after.body().data.map((user: { id: number }) => user.id),
      [dee.id, cy.id]
    )
    // Bob's own block of Ada stands: she still cannot see him.
    const profile = await client
      .get(route('api.users.show', { id: bob.id }))
      .withGuard('api')
      .loginAs(ada)
    profile.assertStatus(404)
    ;(await api(client, bob).unblock(ada.id)).assertStatus(204)
    const visible = await client
      .get(route('api.users.show', { id: bob.id }))
      .withGuard('api')
      .loginAs(ada)
    visible.assertStatus(200)
  })
})

test.group('API / audience', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('a post takes the audience asked, else the author’s default; 422 for another value', async ({
    client,
    assert,
  }) => {
    const ada = await UserFactory.create()
    const plain = await api(client, ada).post({ text: 'hello' })
    plain.assertStatus(201)
    assert.equal(plain.body().audience, 'public')

    const bad = await api(client, ada).post({ text: 'hello', audience: 'everyone' })
    bad.assertStatus(422)
    bad.assertBodyContains({ errors: [{ field: 'audience' }] })

    const me = await api(client, ada).me({ default_audience: 'friends' })
    me.assertStatus(200)
    assert.equal(me.body().default_audience, 'friends')
    assert.equal((await api(client, ada).post({ text: 'x' })).body().audience, 'friends')
    const chosen = await api(client, ada).post({ text: 'x', audience: 'public' })
    assert.equal(chosen.body().audience, 'public')

    const patched = await client
      .patch(route('api.posts.update', { id: chosen.body().id }))
      .withGuard('api')
      .loginAs(ada)
      .json({ audience: 'nobody' })
    patched.assertStatus(422)
    const empty = await client
      .patch(route('api.posts.update', { id: chosen.body().id }))
      .withGuard('api')
      .loginAs(ada)
      .json({})
    empty.assertStatus(422)
  })

  test('PATCH /api/me: 422 for other values; the default shows to its owner only', async ({
    client,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    ;(await api(client, ada).me({ default_audience: 'nobody' })).assertStatus(422)
    ;(await api(client, ada).me({ friends_visible: true })).assertStatus(422)
    ;(await client.patch(route('api.me.update')).json({})).assertStatus(401)

    const own = await client.get(route('api.me')).withGuard('api').loginAs(ada)
    assert.equal(own.body().default_audience, 'public')
    assert.equal(own.body().friends_visible, 'public')
    const seen = await client
      .get(route('api.users.show', { id: ada.id }))
      .withGuard('api')
      .loginAs(bob)
    assert.notProperty(seen.body(), 'default_audience')
  })

  test('friends_visible: friends → the friend list 404s to all but the user and friends', async ({
    client,
    assert,
  }) => {
    const [ada, friend, stranger] = await UserFactory.createMany(3)
    await befriend(ada, friend)
    const list = (viewer: User | null) => {
      const request = client.get(route('api.users.friends', { id: ada.id }))
      return viewer ? request.withGuard('api').loginAs(viewer) : request
    }
    ;(await list(null)).assertStatus(200)
    const changed = await api(client, ada).me({ friends_visible: 'friends' })
    changed.assertStatus(200)
    assert.equal(changed.body().friends_visible, 'friends')

    for (const viewer of [null, stranger]) {
      const hidden = await list(viewer)
      hidden.assertStatus(404)
      // The person is there (their profile answers): the list is what is hidden.
      assert.deepEqual(hidden.body().errors, [
        { message: 'This person shows their friends only to their friends' },
      ])
    }
    ;(await api(client, ada).block(stranger.id)).assertStatus(204)
    const blocked = await list(stranger)
    blocked.assertStatus(404)
    assert.deepEqual(blocked.body().errors, [{ message: 'No user with this id' }])
    for (const viewer of [ada, friend]) {
      const response = await list(viewer)
      response.assertStatus(200)
      assert.deepEqual(
        response.body().data.map((user: { id: number }) => user.id),
        [friend.id]
      )
    }
  })
})

test.group('Web / blocks and audience', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('Block on a profile, then Unblock from the privacy settings', async ({ client, assert }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const profile = await client.get(route('users.show', { id: bob.id })).loginAs(ada)
    assert.include(profile.text(), `action="/users/${bob.id}/block"`)

    const blocked = await client
      .post(route('blocks.store', { id: bob.id }))
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    blocked.assertStatus(302)
    assert.equal(blocked.header('location'), route('settings.privacy'))
    ;(await client.get(route('users.show', { id: bob.id })).loginAs(ada)).assertStatus(404)

    const settings = await client.get(route('settings.privacy')).loginAs(ada)
    settings.assertStatus(200)
    assert.include(settings.text(), `@${bob.username}`)
    assert.include(settings.text(), `/users/${bob.id}/block?_method=DELETE`)
    const account = await client.get(route('settings.account')).loginAs(ada)
    assert.include(account.text(), `href="${route('settings.privacy')}"`)

    const unblocked = await client
      .delete(route('blocks.destroy', { id: bob.id }))
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    unblocked.assertStatus(302)
    ;(await client.get(route('users.show', { id: bob.id })).loginAs(ada)).assertStatus(200)
    const empty = await client.get(route('settings.privacy')).loginAs(ada)
    assert.include(empty.text(), 'You have not blocked anyone.')
  })

  test('the composer offers the audience, starting from the default; the post is marked', async ({
    client,
    assert,
  }) => {
    const [ada, friend] = await UserFactory.createMany(2)
    await befriend(ada, friend)
    const saved = await client
      .post(route('settings.privacy.update'))
      .form({ default_audience: 'friends', friends_visible: 'public' })
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    saved.assertStatus(302)

    const feed = await client.get(route('feed')).loginAs(ada)
    assert.match(feed.text(), /<option value="friends" selected/)

    const posted = await client
      .post(route('posts.store'))
      .field('text', 'close friends only')
      .field('audience', 'friends')
      .withCsrfToken()
      .loginAs(ada)
      .redirects(0)
    posted.assertStatus(302)
    const post = await db.from('posts').where('user_id', ada.id).firstOrFail()
    assert.equal(post.audience, 'friends')

    const page = await client.get(route('posts.show', { id: post.id })).loginAs(friend)
    page.assertStatus(200)
    assert.include(page.text(), 'Friends only')
  })
})

test.group('API / no comment or like on a post one may not see', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  /** The viewer's answers to each comment and like route on the post. */
  async function reactions(client: ApiClient, viewer: User, postId: number) {
    const like = client.put(route('api.posts.like', { id: postId }))
    const comment = client
      .post(route('api.posts.comments.store', { id: postId }))
      .json({ text: 'hi' })
    const comments = client.get(route('api.posts.comments.index', { id: postId }))
    const likers = client.get(route('api.posts.likes', { id: postId }))
    const statuses = []
    for (const request of [like, comment, comments, likers]) {
      statuses.push((await request.withGuard('api').loginAs(viewer)).status())
    }
    return statuses
  }

  test('a friends post: 404 on every route to a stranger, open to a friend', async ({
    client,
    assert,
  }) => {
    const [ada, friend, stranger] = await UserFactory.createMany(3)
    await befriend(ada, friend)
    const posted = await api(client, ada).post({ text: 'For friends', audience: 'friends' })
    const postId = posted.body().id

    assert.deepEqual(await reactions(client, stranger, postId), [404, 404, 404, 404])
    assert.deepEqual(await reactions(client, friend, postId), [204, 201, 200, 200])
    const row = await db.from('posts').where('id', postId).first()
    assert.deepEqual([row.likes_count, row.comments_count], [1, 1])
  })

  test('a block either way: 404 on every route of the other’s post', async ({ client, assert }) => {
    const [ada, blocked, blocker] = await UserFactory.createMany(3)
    const posted = await api(client, ada).post({ text: 'For everyone', audience: 'public' })
    const postId = posted.body().id
    ;(await api(client, ada).block(blocked.id)).assertStatus(204)
    ;(await api(client, blocker).block(ada.id)).assertStatus(204)

    assert.deepEqual(await reactions(client, blocked, postId), [404, 404, 404, 404])
    assert.deepEqual(await reactions(client, blocker, postId), [404, 404, 404, 404])
    const row = await db.from('posts').where('id', postId).first()
    assert.deepEqual([row.likes_count, row.comments_count], [0, 0])
  })

  test('editing or deleting a post: 404 to whom it is hidden, 403 to whom it is shown', async ({
    client,
    assert,
  }) => {
    const [ada, friend, stranger, blocked] = await UserFactory.createMany(4)
    await befriend(ada, friend)
    const posted = await api(client, ada).post({ text: 'For friends', audience: 'friends' })
    const id = posted.body().id
    ;(await api(client, ada).block(blocked.id)).assertStatus(204)

    /** The viewer's answers to the API's edit and delete, and to the pages for them. */
    const changes = async (viewer: User) => {
      const requests = [
        client.patch(route('api.posts.update', { id })).json({ text: 'mine now' }).withGuard('api'),
        client.delete(route('api.posts.destroy', { id })).withGuard('api'),
        client.get(route('posts.edit', { id })),
        client.get(route('posts.delete', { id })),
      ]
      const statuses = []
      for (const request of requests) statuses.push((await request.loginAs(viewer)).status())
      return statuses
    }
    assert.deepEqual(await changes(stranger), [404, 404, 404, 404])
    assert.deepEqual(await changes(blocked), [404, 404, 404, 404])
    assert.deepEqual(await changes(friend), [403, 403, 403, 403])
    const row = await db.from('posts').where('id', id).first()
    assert.equal(row.text, 'For friends')
  })

  test('a suspended author’s post: 404 on every route until the suspension is lifted', async ({
    client,
    assert,
  }) => {
    const [ada, fan] = await UserFactory.createMany(2)
    const posted = await api(client, ada).post({ text: 'For everyone', audience: 'public' })
    const postId = posted.body().id
    const moderation = await app.container.make(Moderation)
    await moderation.suspend(ada.id, 'Spam')

    assert.deepEqual(await reactions(client, fan, postId), [404, 404, 404, 404])
    const unlike = client.delete(route('api.posts.unlike', { id: postId }))
    ;(await unlike.withGuard('api').loginAs(fan)).assertStatus(404)
    await moderation.unsuspend(ada.id)
    assert.deepEqual(await reactions(client, fan, postId), [204, 201, 200, 200])
  })
})
