import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { UserFactory } from '#database/factories/user_factory'
import WriteNotification from '#jobs/write_notification'
import NotifyLikes from '#jobs/notify_likes'
import NotificationSweeper from '#jobs/notification_sweeper'
import { defaultQueue } from '#jobs/bull_adapter'
import Post from '#models/post'
import { FriendshipsService } from '#services/friends/friendships_service'
import { LikeService } from '#services/likes/like_service'
import { LikeNotificationOutbox } from '#services/likes/like_notification_outbox'
import { NotificationOutbox } from '#services/notifications/notification_outbox'
import {
  NotificationStream,
  notificationChannel,
} from '#services/notifications/notification_stream'
import { forgetOnline, online } from '#tests/notification_jobs'
import { isolateDatabase } from '#tests/helpers'
import { isolateFeedState } from '#tests/posts_helpers'

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

/** What transmit broadcasts while `work` runs, as [channel, unread count, notification type]. */
async function broadcastsDuring(work: () => Promise<unknown>) {
  const transmit = await app.container.make('transmit')
  const seen: [string, number, string | null][] = []
  const off = transmit.on('broadcast', ({ channel, payload }: any) => {
    seen.push([channel, payload.unread_count, payload.notification?.type ?? null])
  })
  try {
    await work()
  } finally {
    off()
  }
  return seen
}

const drainLikes = async () => (await app.container.make(NotifyLikes)).handle()

/**
 * A like's notification is owed by its row (`likes.notified_at`) and
 * written by a NotifyLikes drain, many likes a job: the request that liked
 * pays no job of its own.
 */
test.group('Notifications owed / likes', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.teardown(forgetOnline)
  const outbox = new LikeNotificationOutbox()

  test('a like owes its author a notification until a drain writes it; one message per like to an author online, the count after all', async ({
    assert,
  }) => {
    const [ann, bob, fan1, fan2, fan3] = await UserFactory.createMany(5)
    // Ann has a page open; Bob has none, but a count of his is kept.
    await online(ann)
    const stream = await app.container.make(NotificationStream)
    assert.equal((await stream.current(bob.id)).unread_count, 0)
    const annPost = await Post.create({ userId: ann.id, text: 'Ann' })
    const bobPost = await Post.create({ userId: bob.id, text: 'Bob' })
    const likes = await app.container.make(LikeService)
    await likes.like(ann, annPost.id)
    await likes.like(fan1, annPost.id)
    await likes.like(fan2, annPost.id)
    await likes.like(fan3, bobPost.id)
    // Taken back before the drain: nothing owed, nothing told.
    await likes.like(fan3, annPost.id)
    await likes.unlike(fan3, annPost.id)

    const owed = await outbox.owed(500)
    assert.deepEqual(
      owed.map(({ intent }) => [intent.type, intent.recipientId, intent.actorId, intent.postId]),
      [
        ['like', ann.id, fan1.id, annPost.id],
        ['like', ann.id, fan2.id, annPost.id],
        ['like', bob.id, fan3.id, bobPost.id],
      ],
      'her own like owes Ann nothing'
    )

    const told = await broadcastsDuring(drainLikes)
    assert.sameDeepMembers(told, [
      [notificationChannel(ann.id), 2, 'like'],
      [notificationChannel(ann.id), 2, 'like'],
    ])
    assert.equal((await stream.current(bob.id)).unread_count, 1, 'Bob’s kept count went')
    assert.deepEqual(await outbox.owed(500), [])
    const rows = await db.from('notifications').select('recipient_id', 'actor_id', 'post_id')
    assert.sameDeepMembers(rows, [
      { recipient_id: ann.id, actor_id: fan1.id, post_id: annPost.id },
      { recipient_id: ann.id, actor_id: fan2.id, post_id: annPost.id },
      { recipient_id: bob.id, actor_id: fan3.id, post_id: bobPost.id },
    ])
    assert.deepEqual(await broadcastsDuring(drainLikes), [], 'a second drain has nothing to tell')
  })

  test('a like whose drain was lost is found by the sweep; a block since means nothing is written', async ({
    assert,
  }) => {
    const [author, fan] = await UserFactory.createMany(2)
    const post = await Post.create({ userId: author.id, text: 'Hello' })
    await (await app.container.make(LikeService)).like(fan, post.id)
    // The drain the like asked for is lost (Redis flushed, say).
    await NotifyLikes.ask()
    const queue = await defaultQueue()
    await queue.drain()
    const drains = async () =>
      (await queue.getJobs(['waiting'])).filter((job) => job.name === NotifyLikes.jobName)

    const sweeper = await app.container.make(NotificationSweeper)
    assert.equal(await sweeper.sweep(30), 0, 'younger than the interval: waits')
    await db
      .from('likes')
      .where('post_id', post.id)
      .update({ created_at: new Date(Date.now() - 60_000) })
    assert.equal(await sweeper.sweep(30), 1)
    assert.lengthOf(await drains(), 1)
    await queue.drain()

    await db
      .table('blocks')
      .insert({ blocker_id: author.id, blocked_id: fan.id, created_at: new Date() })
    await drainLikes()
    assert.deepEqual(await outbox.owed(500), [])
    assert.lengthOf(await db.from('notifications'), 0)
  })
})
