import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import FriendRequest from '#models/friend_request'
import { UserFactory } from '#database/factories/user_factory'
import { befriend, friendshipRows, requestBetween } from '#tests/friends'
import { isolateDatabase } from '#tests/helpers'
import type User from '#models/user'

test.group('API / send a friend request', (group) => {
  isolateDatabase(group)

  test('201 with the request; friend_request.sent after commit', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    cleanup(() => emitter.restore())
    const events = emitter.fake(['friend_request.sent'])
    const [ada, bob] = await UserFactory.createMany(2)
    const response = await client
      .post(route('api.friend_requests.store'))
      .withGuard('api')
      .loginAs(ada)
      .json({ receiver_id: bob.id })

    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      sender: { id: ada.id, username: ada.username, first_name: ada.firstName },
      receiver: { id: bob.id, username: bob.username },
      status: 'pending',
    })
    assert.properties(body.sender, ['id', 'username', 'first_name', 'last_name', 'profile_picture'])
    assert.match(body.created_at, /Z$/)
    // The times read later are the ones answered now (the column keeps whole seconds).
    const listed = await client
      .get(route('api.friend_requests.index'))
      .qs({ direction: 'outgoing' })
      .withGuard('api')
      .loginAs(ada)
    const [again] = listed.body().data
    assert.deepEqual([again.created_at, again.updated_at], [body.created_at, body.updated_at])
    events.assertEmitted('friend_request.sent', ({ data }) => {
      return data.requestId === body.id && data.senderId === ada.id && data.receiverId === bob.id
    })
  })

  test('to someone who already asked: theirs is accepted, 200', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    cleanup(() => emitter.restore())
    const events = emitter.fake(['friend_request.accepted'])
    const [ada, bob] = await UserFactory.createMany(2)
    const theirs = await requestBetween(bob, ada)
    const response = await client
      .post(route('api.friend_requests.store'))
      .withGuard('api')
      .loginAs(ada)
      .json({ receiver_id: bob.id })

    response.assertStatus(200)
    assert.equal(response.body().id, theirs.id)
    assert.equal(response.body().status, 'accepted')
    assert.lengthOf(await friendshipRows(ada, bob), 2)
    events.assertEmitted('friend_request.accepted')
  })

  test('422 to yourself, between friends, and when already pending', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    await befriend(ada, bob)
    await requestBetween(ada, cy)
    for (const [receiver, rule] of [
      [ada, 'not_self'],
      [bob, 'already_friends'],
      [cy, 'already_pending'],
    ] as const) {
      const response = await client
        .post(route('api.friend_requests.store'))
        .withGuard('api')
        .loginAs(ada)
        .json({ receiver_id: receiver.id })
      response.assertStatus(422)
      assert.deepEqual(response.body().errors[0].rule, rule)
      assert.deepEqual(response.body().errors[0].field, 'receiver_id')
    }
  })

  test('404 unknown user, 422 bad receiver_id, 401 without a token, 403 unconfirmed', async ({
    client,
    route,
    assert,
  }) => {
    const ada = await UserFactory.create()
    const unconfirmed = await UserFactory.apply('unverified').create()
    const url = route('api.friend_requests.store')
    const unknown = await client
      .post(url)
      .withGuard('api')
      .loginAs(ada)
      .json({ receiver_id: 999999 })
    unknown.assertStatus(404)
    const bad = await client.post(url).withGuard('api').loginAs(ada).json({ receiver_id: 'x' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'receiver_id')
    const anonymous = await client.post(url).json({ receiver_id: ada.id })
    anonymous.assertStatus(401)
    const notConfirmed = await client
      .post(url)
      .withGuard('api')
      .loginAs(unconfirmed)
      .json({ receiver_id: ada.id })
    notConfirmed.assertStatus(403)
    assert.equal(notConfirmed.body().errors[0].rule, 'email_unverified')
  })
})

test.group('API / answer a friend request', (group) => {
  isolateDatabase(group)

  async function pendingRequest() {
    const [sender, receiver, stranger] = await UserFactory.createMany(3)
    const request = await requestBetween(sender, receiver)
    return { sender, receiver, stranger, request }
  }

  test('the receiver accepts: 200 accepted, both friendship rows, event', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    cleanup(() => emitter.restore())
    const events = emitter.fake(['friend_request.accepted'])
    const { sender, receiver, request } = await pendingRequest()
    const response = await client
      .post(route('api.friend_requests.accept', { id: request.id }))
      .withGuard('api')
      .loginAs(receiver)
    response.assertStatus(200)
    assert.containsSubset(response.body(), { id: request.id, status: 'accepted' })
    assert.lengthOf(await friendshipRows(sender, receiver), 2)
    events.assertEmitted('friend_request.accepted', ({ data }) => data.requestId === request.id)

    const again = await client
      .post(route('api.friend_requests.accept', { id: request.id }))
      .withGuard('api')
      .loginAs(receiver)
    again.assertStatus(409)
    assert.equal(again.body().errors[0].rule, 'not_pending')
  })

  test('the receiver declines: 200 declined, no friendship; then 409', async ({
    client,
    route,
    assert,
  }) => {
    const { sender, receiver, request } = await pendingRequest()
    const response = await client
      .post(route('api.friend_requests.decline', { id: request.id }))
      .withGuard('api')
      .loginAs(receiver)
    response.assertStatus(200)
    assert.equal(response.body().status, 'declined')
    assert.lengthOf(await friendshipRows(sender, receiver), 0)
    const again = await client
      .post(route('api.friend_requests.decline', { id: request.id }))
      .withGuard('api')
      .loginAs(receiver)
    again.assertStatus(409)
  })

  test('403 for the sender or a stranger, 404 unknown, 401 without a token', async ({
    client,
    route,
  }) => {
    const { sender, stranger, request } = await pendingRequest()
    for (const action of ['api.friend_requests.accept', 'api.friend_requests.decline']) {
      for (const user of [sender, stranger]) {
        const response = await client
          .post(route(action, { id: request.id }))
          .withGuard('api')
          .loginAs(user)
        response.assertStatus(403)
      }
      const unknown = await client
        .post(route(action, { id: 999999 }))
        .withGuard('api')
        .loginAs(sender)
      unknown.assertStatus(404)
      const anonymous = await client.post(route(action, { id: request.id }))
      anonymous.assertStatus(401)
    }
  })

  test('the sender cancels: 204 and gone; 403 for the receiver; 404; 409 once answered', async ({
    client,
    route,
    assert,
  }) => {
    const { sender, receiver, request } = await pendingRequest()
    const url = route('api.friend_requests.destroy', { id: request.id })
    const byReceiver = await client.delete(url).withGuard('api').loginAs(receiver)
    byReceiver.assertStatus(403)
    const response = await client.delete(url).withGuard('api').loginAs(sender)
    response.assertStatus(204)
    assert.isNull(await FriendRequest.find(request.id))
    const gone = await client.delete(url).withGuard('api').loginAs(sender)
    gone.assertStatus(404)

    const declined = await requestBetween(sender, receiver, 'declined')
    const answered = await client
      .delete(route('api.friend_requests.destroy', { id: declined.id }))
      .withGuard('api')
      .loginAs(sender)
    answered.assertStatus(409)
  })
})

test.group('API / lists of requests and friends', (group) => {
  isolateDatabase(group)

  test('incoming by default, outgoing on request, newest first, paged', async ({
    client,
    route,
    assert,
  }) => {
    const [me, ...others] = await UserFactory.createMany(4)
    const incoming = []
    for (const other of others) {
      incoming.push(await requestBetween(other, me))
    }
    const declined = await UserFactory.create()
    await requestBetween(declined, me, 'declined')
    const out = await UserFactory.create()
    await requestBetween(me, out)

    const first = await client
      .get(route('api.friend_requests.index'))
      .qs({ limit: 2 })
      .withGuard('api')
      .loginAs(me)
    first.assertStatus(200)
    assert.deepEqual(
      first.body().data.map((r: any) => r.id),
      [incoming[2].id, incoming[1].id]
    )
    assert.equal(
      first.body().next,
      `/api/friend-requests?direction=incoming&before=${incoming[1].id}&limit=2`
    )
    const second = await client.get(first.body().next).withGuard('api').loginAs(me)
    assert.deepEqual(
      second.body().data.map((r: any) => r.id),
      [incoming[0].id]
    )
    assert.isNull(second.body().next)

    const outgoing = await client
      .get(route('api.friend_requests.index'))
      .qs({ direction: 'outgoing' })
      .withGuard('api')
      .loginAs(me)
    assert.deepEqual(
      outgoing.body().data.map((r: any) => r.receiver.id),
      [out.id]
    )
  })

  test('422 for a bad direction or limit, 401 without a token', async ({ client, route }) => {
    const me = await UserFactory.create()
    const url = route('api.friend_requests.index')
    const direction = await client
      .get(url)
      .qs({ direction: 'sideways' })
      .withGuard('api')
      .loginAs(me)
    direction.assertStatus(422)
    const limit = await client.get(url).qs({ limit: 51 }).withGuard('api').loginAs(me)
    limit.assertStatus(422)
    const anonymous = await client.get(url)
    anonymous.assertStatus(401)
  })

  test("a user's friends: summaries by id, newest first, paged; 404 unknown", async ({
    client,
    route,
    assert,
  }) => {
    const [me, ...friends] = await UserFactory.createMany(4)
    for (const friend of friends) await befriend(me, friend)
    const first = await client.get(route('api.users.friends', { id: me.id })).qs({ limit: 2 })
    first.assertStatus(200)
    const ids = friends.map((f) => f.id).sort((a, b) => b - a)
    assert.deepEqual(
      first.body().data.map((u: any) => u.id),
      ids.slice(0, 2)
    )
    assert.deepEqual(Object.keys(first.body().data[0]).sort(), [
      'first_name',
      'id',
      'last_name',
      'profile_picture',
      'username',
    ])
    const second = await client.get(first.body().next)
    assert.deepEqual(
      second.body().data.map((u: any) => u.id),
      ids.slice(2)
    )
    assert.isNull(second.body().next)

    const unknown = await client.get(route('api.users.friends', { id: 999999 }))
    unknown.assertStatus(404)
    const bad = await client.get(route('api.users.friends', { id: me.id })).qs({ before: 'x' })
    bad.assertStatus(422)
  })
})

test.group('API / unfriend and the friendship field', (group) => {
  isolateDatabase(group)

  test('unfriend: 204, both rows gone, friendship.ended; then 404', async ({
    client,
    route,
    assert,
    cleanup,
  }) => {
    cleanup(() => emitter.restore())
    const events = emitter.fake(['friendship.ended'])
    const [ada, bob] = await UserFactory.createMany(2)
    await befriend(ada, bob)
    const url = route('api.friends.destroy', { user_id: bob.id })
    const response = await client.delete(url).withGuard('api').loginAs(ada)
    response.assertStatus(204)
    assert.lengthOf(await friendshipRows(ada, bob), 0)
    events.assertEmitted(
      'friendship.ended',
      ({ data }) => data.userId === ada.id && data.friendId === bob.id
    )
    const again = await client.delete(url).withGuard('api').loginAs(ada)
    again.assertStatus(404)
    const anonymous = await client.delete(url)
    anonymous.assertStatus(401)
  })

  test('GET /api/users/:id shows how the token user stands with the user', async ({
    client,
    route,
    assert,
  }) => {
    const [me, friend, asked, asker, stranger] = await UserFactory.createMany(5)
    await befriend(me, friend)
    await requestBetween(me, asked)
    await requestBetween(asker, me)
    const expected = new Map([
      [me, 'self'],
      [friend, 'friends'],
      [asked, 'request_sent'],
      [asker, 'request_received'],
      [stranger, 'none'],
    ])
    for (const [user, state] of expected) {
      const response = await client
        .get(route('api.users.show', { id: user.id }))
        .withGuard('api')
        .loginAs(me)
      response.assertStatus(200)
      assert.equal(response.body().friendship, state, user.username)
    }
    // Anonymous readers share the cached data, which never carries it.
    const anonymous = await client.get(route('api.users.show', { id: friend.id }))
    assert.notProperty(anonymous.body(), 'friendship')
  })
})

test.group('API / friend request rate limit', (group) => {
  isolateDatabase(group)

  test('a burst of 20 per account, then 429 with Retry-After', async ({
    client,
    route,
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    const send = (user: User, receiver: User) =>
      client
        .post(route('api.friend_requests.store'))
        .withGuard('api')
        .loginAs(user)
        .json({ receiver_id: receiver.id })
    for (let i = 0; i < 20; i++) {
      const response = await send(ada, bob)
      assert.oneOf(response.status(), [201, 422])
    }
    const limited = await send(ada, bob)
    limited.assertStatus(429)
    assert.exists(limited.header('retry-after'))
    // The limit is per account: another sender is not affected.
    const other = await send(cy, bob)
    other.assertStatus(201)
  }).timeout(30_000)
})
