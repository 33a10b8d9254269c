import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import FriendRequest from '#models/friend_request'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'
import type User from '#models/user'

async function befriend(a: User, b: User) {
  const now = new Date()
  await db.table('friendships').multiInsert([
    { user_id: a.id, friend_id: b.id, created_at: now },
    { user_id: b.id, friend_id: a.id, created_at: now },
  ])
}

async function friendshipRows(a: User, b: User) {
  return db
    .from('friendships')
    .where((q) => q.where('user_id', a.id).where('friend_id', b.id))
    .orWhere((q) => q.where('user_id', b.id).where('friend_id', a.id))
}

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
    const theirs = await FriendRequest.create({
      senderId: bob.id,
      receiverId: ada.id,
      status: 'pending',
    })
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
    await FriendRequest.create({ senderId: ada.id, receiverId: cy.id, status: 'pending' })
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
