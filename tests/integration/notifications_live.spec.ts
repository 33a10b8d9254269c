import { test } from '@japa/runner'
import emitter from '@adonisjs/core/services/emitter'
import limiter from '@adonisjs/limiter/services/main'
import { once } from 'node:events'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import Notification from '#models/notification'
import { notificationChannel } from '#services/notifications/notification_stream'
import { truncateTables, waitUntil } from '#tests/helpers'
import { BuiltApp } from './helpers/built_app.js'
import type { ChildService } from './helpers/processes.js'
import { WebSession, type SseStream } from './helpers/sse.js'

/**
 * Two built app replicas and a built worker on one Redis, as in production:
 * whichever process publishes, the replica holding the browser's stream
 * delivers.
 */
test.group('Notifications live across replicas (built apps, worker, Redis)', (group) => {
  let appA: BuiltApp
  let appB: BuiltApp
  let worker: ChildService
  const streams: SseStream[] = []

  group.setup(async () => {
    await BuiltApp.build()
    appA = await BuiltApp.start()
    appB = await BuiltApp.start()
    worker = await BuiltApp.startWorker(['--only=jobs'])
    // The worker's first job loads its modules and opens MySQL: a running
    // system has done that long before, so the timings below exclude it.
    await truncateTables()
    const [one, two] = await UserFactory.createMany(2)
    await emitter.emit('friend_request.sent', {
      requestId: 1,
      senderId: one.id,
      receiverId: two.id,
    })
    await waitUntil(async () => (await Notification.all()).length === 1)
    return async () => {
      await worker.stop()
      await Promise.all([appA.stop(), appB.stop()])
    }
  })

  /** `user`'s browser on `app`, listening to their channel. */
  const browserOf = async (app: BuiltApp, user: { id: number; username: string }) => {
    const browser = await WebSession.signIn(
      `http://${app.address}`,
      user.username,
      FACTORY_PASSWORD
    )
    const stream = await browser.listen(notificationChannel(user.id), user.id)
    streams.push(stream)
    return stream
  }

  group.each.setup(async () => {
    await truncateTables()
    await limiter.clear()
    return () => streams.splice(0).forEach((stream) => stream.close())
  })

  test('a friend request sent through replica A reaches the receiver on replica B within 1 s', async ({
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const stream = await browserOf(appB, bob)
    const token = await apiToken(appA, ada.username)

    // Through A: the use case commits and emits, A's listener queues the job,
    // the worker writes the row and publishes, B's stream delivers.
    const sentAt = Date.now()
    const sent = await apiPost(appA, '/api/friend-requests', token, { receiver_id: bob.id })
    assert.equal(sent.status, 201)
    const request = (await sent.json()) as { id: number }

    const message = await stream.waitForMessage(
      notificationChannel(bob.id),
      (payload) => payload.notification !== null
    )
    const elapsed = message.receivedAt - sentAt
    console.log(`friend request on A → worker → row → B's stream: ${elapsed} ms`)
    assert.isBelow(elapsed, 1000)
    assert.equal(message.payload.unread_count, 1)
    assert.containsSubset(message.payload.notification, {
      type: 'friend_request',
      read: false,
      actor: { id: ada.id, username: ada.username },
    })

    const row = await Notification.findOrFail(message.payload.notification.id)
    assert.deepEqual([row.recipientId, row.actorId, row.subjectId], [bob.id, ada.id, request.id])
    assert.include(worker.output, 'WriteNotification')
  })

  test('marking read through replica A updates the count on a stream held by replica B within 1 s', async ({
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    await emitter.emit('friend_request.sent', {
      requestId: 8,
      senderId: ada.id,
      receiverId: bob.id,
    })
    await waitUntil(
      async () => (await Notification.query().where('recipient_id', bob.id)).length === 1
    )

    const stream = await browserOf(appB, bob)

    const token = await apiToken(appA, bob.username)
    const readAt = Date.now()
    const read = await apiPost(appA, '/api/notifications/read', token, {})
    assert.equal(read.status, 204)

    const message = await stream.waitForMessage(
      notificationChannel(bob.id),
      (payload) => payload.unread_count === 0
    )
    assert.isBelow(message.receivedAt - readAt, 1000)
    assert.isNull(message.payload.notification)
  })

  test('a stream carries only its own user’s channel', async ({ assert }) => {
    const [ada, bob, cy] = await UserFactory.createMany(3)
    const stream = await browserOf(appA, bob)

    await emitter.emit('friend_request.sent', { requestId: 9, senderId: ada.id, receiverId: cy.id })
    await emitter.emit('friend_request.sent', {
      requestId: 10,
      senderId: ada.id,
      receiverId: bob.id,
    })
    await stream.waitForMessage(notificationChannel(bob.id), (payload) => payload.notification)
    assert.lengthOf(stream.messages(notificationChannel(cy.id)), 0)
    assert.lengthOf(
      stream.events.filter((event) => event.data.includes(`notifications/${cy.id}`)),
      0
    )
  })

  test('a replica told to stop ends its streams rather than hang on them', async ({ assert }) => {
    const [bob] = await UserFactory.createMany(1)
    const appC = await BuiltApp.start()
    const stream = await browserOf(appC, bob)

    const ended = once(stream.response, 'end')
    const started = Date.now()
    await appC.stop()
    await ended
    assert.isBelow(Date.now() - started, 5000)
  })
})

/** A bearer token from the API's sign-in on `app`. */
async function apiToken(app: BuiltApp, uid: string) {
  const login = await fetch(`http://${app.address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid, password: FACTORY_PASSWORD }),
  })
  if (login.status !== 200) throw new Error(`sign-in on ${app.address}: ${login.status}`)
  return ((await login.json()) as { token: string }).token
}

function apiPost(app: BuiltApp, path: string, token: string, body: object) {
  return fetch(`http://${app.address}${path}`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}
