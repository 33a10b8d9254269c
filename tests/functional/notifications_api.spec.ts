import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import Notification from '#models/notification'
import type User from '#models/user'
import WriteNotification from '#jobs/write_notification'
import { defaultQueue } from '#jobs/bull_adapter'
import {
  NotificationService,
  type NotificationIntent,
} from '#services/notifications/notification_service'
import {
  NotificationStream,
  notificationChannel,
} from '#services/notifications/notification_stream'
import { isolateDatabase, truncateTables, route } from '#tests/helpers'
import { forgetOnline, online, queuedJobs, runQueuedJobs } from '#tests/notification_jobs'

/** What transmit broadcasts while `work` runs. */
async function broadcastsDuring(work: () => Promise<unknown>) {
  const transmit = await app.container.make('transmit')
  const seen: { channel: string; payload: any }[] = []
  const off = transmit.on('broadcast', (message) => void seen.push(message as any))
  try {
    await work()
  } finally {
    off()
  }
  return seen
}

function record(intent: Partial<NotificationIntent> & { recipientId: number; actorId: number }) {
  return new NotificationService().record({
    type: 'friend_request',
    subjectId: 1,
    at: Date.now(),
    ...intent,
  })
}

async function requestBetween(sender: User, receiver: User, requestId = 1) {
  await emitter.emit('friend_request.sent', {
    requestId,
    senderId: sender.id,
    receiverId: receiver.id,
  })
}

test.group('Notifications / from friend request events', (group) => {
  isolateDatabase(group)
  group.each.setup(async () => {
    await (await defaultQueue()).drain()
    return forgetOnline
  })

  test('friend_request.sent queues a job; the job writes the receiver a notification and publishes it', async ({
    client,
    assert,
  }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    await online(receiver)
    await requestBetween(sender, receiver, 41)

    const [job] = await queuedJobs()
    assert.containsSubset(job.data, {
      type: 'friend_request',
      recipientId: receiver.id,
      actorId: sender.id,
      subjectId: 41,
    })

    const broadcasts = await broadcastsDuring(runQueuedJobs)
    assert.lengthOf(broadcasts, 1)
    assert.equal(broadcasts[0].channel, notificationChannel(receiver.id))
    assert.equal(broadcasts[0].payload.unread_count, 1)
    assert.isAbove(broadcasts[0].payload.seq, 0)
    assert.containsSubset(broadcasts[0].payload.notification, {
      type: 'friend_request',
      read: false,
      actor: { id: sender.id, username: sender.username },
    })

    const response = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(receiver)
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.unread_count, 1)
    assert.isNull(body.next)
    assert.lengthOf(body.data, 1)
    assert.deepEqual(Object.keys(body.data[0]).sort(), [
      'actor',
      'created_at',
      'id',
      'post_id',
      'read',
      'type',
    ])
    assert.isNull(body.data[0].post_id)
    assert.deepEqual(body.data[0].actor, {
      id: sender.id,
      username: sender.username,
      first_name: sender.firstName,
      last_name: sender.lastName,
      profile_picture: '/static/images/default-avatar.svg',
    })
    assert.match(body.data[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)

    const senderView = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(sender)
    assert.deepEqual(senderView.body(), { data: [], next: null, unread_count: 0 })
  })

  test('a receiver with no live stream open is told nothing live; the count their pages keep goes all the same', async ({
    assert,
  }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const stream = await app.container.make(NotificationStream)
    assert.equal((await stream.current(receiver.id)).unread_count, 0, 'kept by this process')
    await requestBetween(sender, receiver)

    assert.lengthOf(await broadcastsDuring(runQueuedJobs), 0)
    assert.equal((await stream.current(receiver.id)).unread_count, 1)
  })

  test('friend_request.accepted tells the sender, with the receiver as the actor', async ({
    assert,
  }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    await emitter.emit('friend_request.accepted', {
      requestId: 5,
      senderId: sender.id,
      receiverId: receiver.id,
    })
    await runQueuedJobs()

    const rows = await Notification.all()
    assert.lengthOf(rows, 1)
    assert.containsSubset(rows[0].serialize(), {
      recipient_id: sender.id,
      actor_id: receiver.id,
      type: 'friend_accepted',
      subject_id: 5,
    })
  })

  test('nobody is told about their own action', async ({ assert }) => {
    const [user] = await UserFactory.createMany(1)
    await requestBetween(user, user)
    assert.lengthOf(await queuedJobs(), 0)
    assert.isNull(await record({ recipientId: user.id, actorId: user.id }))
    assert.lengthOf(await Notification.all(), 0)
  })

  test('a job that runs twice writes and publishes once', async ({ assert }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    await online(receiver)
    await requestBetween(sender, receiver)
    const [job] = await queuedJobs()

    const broadcasts = await broadcastsDuring(async () => {
      for (let run = 0; run < 2; run++) {
        const instance = await app.container.make(WriteNotification)
        await instance.handle(job.data)
      }
    })
    assert.lengthOf(broadcasts, 1)
    assert.lengthOf(await Notification.all(), 1)
  })

  test('a request withdrawn and sent again is one notification, unread and on top', async ({
    assert,
  }) => {
    const [sender, other, receiver] = await UserFactory.createMany(3)
    const first = await record({ recipientId: receiver.id, actorId: sender.id, at: 1_000 })
    await record({ recipientId: receiver.id, actorId: other.id, at: 2_000 })
    await new NotificationService().markRead(receiver.id)

    const again = await record({
      recipientId: receiver.id,
      actorId: sender.id,
      subjectId: 2,
      at: 3_000,
    })
    assert.isAbove(again!.id, first!.id)

    const rows = await Notification.query().where('recipient_id', receiver.id).orderBy('id', 'desc')
    assert.deepEqual(
      rows.map((row) => [row.actorId, row.subjectId, row.read]),
      [
        [sender.id, 2, false],
        [other.id, 1, true],
      ]
    )
  })

  test('an event older than the row it would replace changes nothing', async ({ assert }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const newer = await record({ recipientId: receiver.id, actorId: sender.id, at: 5_000 })
    assert.isNull(await record({ recipientId: receiver.id, actorId: sender.id, at: 4_000 }))
    const [row] = await Notification.all()
    assert.equal(row.id, newer!.id)
  })

  test('a user who is gone gets no notification and breaks no job', async ({ assert }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const receiverId = receiver.id
    await receiver.delete()
    assert.isNull(await record({ recipientId: receiverId, actorId: sender.id }))
  })

  test('deleting an account deletes the notifications it received and caused', async ({
    assert,
  }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    await record({ recipientId: ada.id, actorId: bob.id })
    await record({ recipientId: bob.id, actorId: ada.id })
    await record({ recipientId: cy.id, actorId: bob.id })

    await ada.delete()
    const left = await Notification.all()
    assert.deepEqual(
      left.map((row) => [row.recipientId, row.actorId]),
      [[cy.id, bob.id]]
    )
  })
})

test.group('Notifications / API', (group) => {
  isolateDatabase(group)

  test('answers 401 without a token', async ({ client }) => {
    const list = await client.get(route('api.notifications.index'))
    list.assertStatus(401)
    const read = await client.post(route('api.notifications.read')).json({})
    read.assertStatus(401)
  })

  test('pages newest first with next, and checks the page fields', async ({ client, assert }) => {
    const [receiver, ...actors] = await UserFactory.createMany(6)
    for (const [index, actor] of actors.entries()) {
      await record({ recipientId: receiver.id, actorId: actor.id, at: 1_000 + index })
    }

    const first = await client
      .get(route('api.notifications.index'))
      .qs({ limit: 2 })
      .withGuard('api')
      .loginAs(receiver)
    first.assertStatus(200)
    const page1 = first.body()
    assert.deepEqual(
      page1.data.map((n: any) => n.actor.id),
      [actors[4].id, actors[3].id]
    )
    assert.equal(page1.unread_count, 5)
    assert.equal(page1.next, `/api/notifications?before=${page1.data[1].id}&limit=2`)

    const second = await client.get(page1.next).withGuard('api').loginAs(receiver)
    assert.deepEqual(
      second.body().data.map((n: any) => n.actor.id),
      [actors[2].id, actors[1].id]
    )

    for (const qs of [{ limit: 0 }, { limit: 51 }, { before: 'abc' }, { limit: 1.5 }]) {
      const bad = await client
        .get(route('api.notifications.index'))
        .qs(qs)
        .withGuard('api')
        .loginAs(receiver)
      bad.assertStatus(422)
      assert.isString(bad.body().errors[0].field)
    }
  })

  test('marks the given ids read (never another user’s), idempotently, with 204', async ({
    client,
    assert,
  }) => {
    const [receiver, stranger, a, b] = await UserFactory.createMany(4)
    const one = await record({ recipientId: receiver.id, actorId: a.id })
    await record({ recipientId: receiver.id, actorId: b.id })
    const theirs = await record({ recipientId: stranger.id, actorId: a.id })

    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await client
        .post(route('api.notifications.read'))
        .json({ ids: [one!.id, theirs!.id] })
        .withGuard('api')
        .loginAs(receiver)
      response.assertStatus(204)
      assert.equal(response.text(), '')
    }

    const list = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(receiver)
    assert.equal(list.body().unread_count, 1)
    assert.deepEqual(
      list.body().data.map((n: any) => [n.id, n.read]),
      [
        [list.body().data[0].id, false],
        [one!.id, true],
      ]
    )
    await theirs!.refresh()
    assert.isNull(theirs!.readAt)
  })

  test('marks everything read when ids is absent, and nothing when it is empty', async ({
    client,
    assert,
  }) => {
    const [receiver, a, b] = await UserFactory.createMany(3)
    await record({ recipientId: receiver.id, actorId: a.id })
    await record({ recipientId: receiver.id, actorId: b.id })

    const none = await client
      .post(route('api.notifications.read'))
      .json({ ids: [] })
      .withGuard('api')
      .loginAs(receiver)
    none.assertStatus(204)
    const before = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(receiver)
    assert.equal(before.body().unread_count, 2)

    const all = await client
      .post(route('api.notifications.read'))
      .withGuard('api')
      .loginAs(receiver)
    all.assertStatus(204)
    const after = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(receiver)
    assert.equal(after.body().unread_count, 0)
    assert.isTrue(after.body().data.every((n: any) => n.read))
  })

  test('refuses malformed ids with 422 in the error shape', async ({ client, assert }) => {
    const [receiver] = await UserFactory.createMany(1)
    for (const ids of ['1', [0], ['x'], [1.5], Array.from({ length: 101 }, (_, i) => i + 1)]) {
      const response = await client
        .post(route('api.notifications.read'))
        .json({ ids })
        .withGuard('api')
        .loginAs(receiver)
      response.assertStatus(422)
      assert.match(response.body().errors[0].field, /^ids/)
    }
  })

  test('publishes the new count to the user’s channel when something was marked read', async ({
    client,
    assert,
  }) => {
    const [receiver, a] = await UserFactory.createMany(2)
    await record({ recipientId: receiver.id, actorId: a.id })
    const read = () =>
      client.post(route('api.notifications.read')).withGuard('api').loginAs(receiver)

    const first = await broadcastsDuring(read)
    assert.deepEqual(
      first.map(({ channel, payload }) => [channel, payload.unread_count, payload.notification]),
      [[notificationChannel(receiver.id), 0, null]]
    )
    // Nothing changed the second time: nothing to tell.
    assert.lengthOf(await broadcastsDuring(read), 0)
  })
})

/**
 * Real connections for real concurrency: no wrapping transaction.
 */
test.group('Notifications / concurrency', (group) => {
  group.each.setup(() => truncateTables())
  group.teardown(() => truncateTables())

  test('concurrent mark-read requests change each notification once; the count stays exact', async ({
    client,
    assert,
  }) => {
    const [receiver, ...actors] = await UserFactory.createMany(21)
    const rows = await Promise.all(
      actors.map((actor) => record({ recipientId: receiver.id, actorId: actor.id }))
    )
    const ids = rows.map((row) => row!.id)

    const service = new NotificationService()
    // Overlapping batches, all at once, beside whole "mark all" requests.
    const changed = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => service.markRead(receiver.id, ids.slice(i, i + 8))),
      service.markRead(receiver.id),
      service.markRead(receiver.id),
    ])
    assert.equal(
      changed.reduce((sum, count) => sum + count, 0),
      20
    )

    const response = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(receiver)
    assert.equal(response.body().unread_count, 0)
  })

  test('the same notification written by racing jobs is one row', async ({ assert }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const at = Date.now()
    const results = await Promise.all(
      Array.from({ length: 8 }, () => record({ recipientId: receiver.id, actorId: sender.id, at }))
    )
    assert.lengthOf(
      results.filter((row) => row !== null),
      1
    )
    const [{ total }] = await db.from('notifications').count('* as total')
    assert.equal(Number(total), 1)
  })
})

/**
 * Through the friends routes: the events are emitted by the real use cases.
 */
test.group('Notifications / through the friend request routes', (group) => {
  isolateDatabase(group)
  group.each.setup(async () => {
    await (await defaultQueue()).drain()
  })

  const askFriend = (client: ApiClient, sender: User, receiver: User) =>
    client
      .post(route('api.friend_requests.store'))
      .json({ receiver_id: receiver.id })
      .withGuard('api')
      .loginAs(sender)

  const notificationsOf = async (client: ApiClient, user: User) => {
    await runQueuedJobs()
    const response = await client
      .get(route('api.notifications.index'))
      .withGuard('api')
      .loginAs(user)
    return response.body()
  }

  test('a request tells the receiver; accepting tells the sender and settles the request', async ({
    client,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const sent = await askFriend(client, ada, bob)
    sent.assertStatus(201)

    const bobs = await notificationsOf(client, bob)
    assert.equal(bobs.unread_count, 1)
    assert.containsSubset(bobs.data, [{ type: 'friend_request', actor: { id: ada.id } }])
    assert.equal((await notificationsOf(client, ada)).unread_count, 0)

    const accepted = await client
      .post(route('api.friend_requests.accept', { id: sent.body().id }))
      .withGuard('api')
      .loginAs(bob)
    accepted.assertStatus(200)

    const adas = await notificationsOf(client, ada)
    assert.equal(adas.unread_count, 1)
    assert.containsSubset(adas.data, [{ type: 'friend_accepted', actor: { id: bob.id } }])
    // Bob answered the request: it no longer counts as unread for him.
    const bobsAfter = await notificationsOf(client, bob)
    assert.equal(bobsAfter.unread_count, 0)
    assert.deepEqual(
      bobsAfter.data.map((n: any) => [n.type, n.read]),
      [['friend_request', true]]
    )
  })

  test('a request cancelled and sent again is one notification, unread again', async ({
    client,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const send = () =>
      client
        .post(route('api.friend_requests.store'))
        .json({ receiver_id: bob.id })
        .withGuard('api')
        .loginAs(ada)

    const first = await send()
    const before = await notificationsOf(client, bob)
    await client.post(route('api.notifications.read')).withGuard('api').loginAs(bob)

    const cancelled = await client
      .delete(route('api.friend_requests.destroy', { id: first.body().id }))
      .withGuard('api')
      .loginAs(ada)
    cancelled.assertStatus(204)
    ;(await send()).assertStatus(201)

    const after = await notificationsOf(client, bob)
    assert.equal(after.unread_count, 1)
    assert.lengthOf(after.data, 1)
    assert.isAbove(after.data[0].id, before.data[0].id)
  })

  test('asking someone who had already asked accepts, and tells the first sender', async ({
    client,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    await askFriend(client, ada, bob)
    const back = await askFriend(client, bob, ada)
    back.assertStatus(200)

    const adas = await notificationsOf(client, ada)
    assert.deepEqual(
      adas.data.map((n: any) => [n.type, n.actor.id]),
      [['friend_accepted', bob.id]]
    )
  })
})
