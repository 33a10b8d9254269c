import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import WriteNotification from '#jobs/write_notification'
import { FriendshipsService } from '#services/friends/friendships_service'
import { NotificationOutbox } from '#services/notifications/notification_outbox'
import { isolateDatabase } from '#tests/helpers'

/** As if the change happened a minute ago, so a sweep with a 30 s interval finds it. */
async function ageRequest(id: number) {
  await db
    .from('friend_requests')
    .where('id', id)
    .update({ updated_at: new Date(Date.now() - 60_000) })
}

async function runJob(intent: Parameters<typeof WriteNotification.dispatch>[0]) {
  const job = await app.container.make(WriteNotification)
  await job.handle(intent)
}

/** The notification about a friend request that `actor`'s step owes `recipient`. */
function owedNotification(
  type: 'friend_request' | 'friend_accepted',
  recipient: { id: number },
  actor: { id: number },
  request: { id: number }
) {
  return { type, recipientId: recipient.id, actorId: actor.id, subjectId: request.id }
}

/**
 * The notification a friend request owes is kept by MySQL (notified_at), not
 * by Redis: the worker's sweep finds what no job wrote (tests/scale proves it
 * with Redis stopped).
 */
test.group('Notifications owed', (group) => {
  isolateDatabase(group)
  const outbox = new NotificationOutbox()

  test('a request owes the receiver a notification until a job writes it; accepting owes the sender one', async ({
    assert,
  }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const friendships = await app.container.make(FriendshipsService)
    const { request } = await friendships.send(sender.id, receiver.id)
    await ageRequest(request.id)

    const owed = await outbox.owed(30)
    assert.containsSubset(owed, [owedNotification('friend_request', receiver, sender, request)])
    assert.deepEqual(await outbox.owed(3600), [], 'younger than the interval: waits')

    await runJob(owed[0])
    assert.deepEqual(await outbox.owed(30), [])
    const notified = await db.from('friend_requests').where('id', request.id).first()
    assert.isNotNull(notified.notified_at)

    await friendships.accept(request)
    await ageRequest(request.id)
    const accepted = await outbox.owed(30)
    assert.containsSubset(accepted, [
      owedNotification('friend_accepted', sender, receiver, request),
    ])
    await runJob(accepted[0])
    assert.deepEqual(await outbox.owed(30), [])
    const rows = await db.from('notifications').select('recipient_id', 'type').orderBy('id')
    assert.sameDeepMembers(rows, [
      { recipient_id: receiver.id, type: 'friend_request' },
      { recipient_id: sender.id, type: 'friend_accepted' },
    ])
  })

  test('a job for a request that changed since owes nothing more, and a declined one is not owed', async ({
    assert,
  }) => {
    const [sender, receiver] = await UserFactory.createMany(2)
    const friendships = await app.container.make(FriendshipsService)
    const { request } = await friendships.send(sender.id, receiver.id)
    await friendships.accept(request)
    // The "sent" job runs late: the accepted request still owes the sender.
    await outbox.markDone({
      ...owedNotification('friend_request', receiver, sender, request),
      at: Date.now(),
    })
    await ageRequest(request.id)
    assert.lengthOf(await outbox.owed(30), 1)

    const [other] = await UserFactory.createMany(1)
    const { request: declined } = await friendships.send(other.id, receiver.id)
    await friendships.decline(declined)
    await ageRequest(declined.id)
    assert.deepEqual(
      (await outbox.owed(30)).map((intent) => intent.subjectId),
      [request.id]
    )
  })
})
