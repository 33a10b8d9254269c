import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ace from '@adonisjs/core/services/ace'
import { Queue } from 'bullmq'
import app from '@adonisjs/core/services/app'
import FriendRequest from '#models/friend_request'
import FriendsExpire from '#commands/friends_expire'
import { FriendRequestExpiry } from '#services/friends/friend_request_expiry'
import { ensureSchedules, schedules } from '#jobs/schedules'
import { makeJob } from '#jobs/bull_adapter'
import { UserFactory } from '#database/factories/user_factory'
import { requestBetween } from '#tests/friends'
import { isolateDatabase } from '#tests/helpers'
import type { defineConfig } from '@rlanz/bull-queue'

/** Pending requests sent `daysAgo` days ago, plus one old but already answered. */
async function requestsAged(...daysAgo: number[]) {
  const users = await UserFactory.createMany(daysAgo.length + 2)
  const [receiver, ...senders] = users
  const requests = []
  for (const [i, days] of daysAgo.entries()) {
    const request = await requestBetween(senders[i], receiver)
    request.createdAt = DateTime.utc().minus({ days })
    await request.save()
    requests.push(request)
  }
  const answered = await FriendRequest.create({
    senderId: senders.at(-1)!.id,
    receiverId: receiver.id,
    status: 'declined',
  })
  answered.createdAt = DateTime.utc().minus({ days: 200 })
  await answered.save()
  return { requests, answered }
}

test.group('Expiry of pending friend requests', (group) => {
  isolateDatabase(group)

  test('removes pending requests older than 90 days, keeps the rest', async ({ assert }) => {
    const { requests, answered } = await requestsAged(91, 89, 0)
    const removed = await new FriendRequestExpiry().expire()
    assert.equal(removed, 1)
    assert.isNull(await FriendRequest.find(requests[0].id))
    assert.isNotNull(await FriendRequest.find(requests[1].id))
    assert.isNotNull(await FriendRequest.find(requests[2].id))
    assert.isNotNull(await FriendRequest.find(answered.id))
  })

  test("with the clock moved forward 91 days, today's requests expire too", async ({ assert }) => {
    const { requests } = await requestsAged(0, 1)
    const expiry = new FriendRequestExpiry()
    assert.equal(await expiry.expire({ now: DateTime.utc().plus({ days: 88 }) }), 0)
    assert.equal(await expiry.expire({ now: DateTime.utc().plus({ days: 91 }) }), 2)
    for (const request of requests) assert.isNull(await FriendRequest.find(request.id))
  })

  test('the job removes them; its schedule exists once however often workers upsert it', async ({
    assert,
    cleanup,
  }) => {
    const { requests } = await requestsAged(120)
    const { default: ExpireFriendRequests } = await import('#jobs/expire_friend_requests')
    const logger = await app.container.make('logger')
    const job = await makeJob(app.container, ExpireFriendRequests, {} as any, logger)
    await job.handle({})
    assert.isNull(await FriendRequest.find(requests[0].id))

    const config = app.config.get<ReturnType<typeof defineConfig>>('queue')
    const queue = new Queue('friends-expiry-test', { connection: config.defaultConnection })
    cleanup(async () => {
      await queue.obliterate({ force: true })
      await queue.close()
    })
    const wanted = schedules({ sweepEverySeconds: 10 })
    await Promise.all([1, 2, 3].map(() => ensureSchedules(queue, wanted)))
    assert.equal(await ensureSchedules(queue, wanted), 0)
    const schedulers = await queue.getJobSchedulers()
    assert.lengthOf(schedulers, wanted.length)
    const expiry = schedulers.find((scheduler) => scheduler.key === 'expire-friend-requests')
    assert.equal(expiry?.name, 'ExpireFriendRequests')
  })
})

test.group('friends:expire', (group) => {
  isolateDatabase(group)
  group.setup(async () => {
    await ace.boot()
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  async function run(argv: string[]) {
    ace.ui.logger.flushLogs()
    const command = await ace.create(FriendsExpire, argv)
    await command.exec()
    const logs = command.logger.getLogs() as { message: string }[]
    return { command, output: logs.map((log) => log.message).join('\n') }
  }

  test('--dry-run lists what would go and removes nothing; then it goes', async ({ assert }) => {
    const { requests } = await requestsAged(100, 95, 10)
    const dry = await run(['--dry-run'])
    assert.equal(dry.command.exitCode, 0)
    assert.include(dry.output, String(requests[0].id))
    assert.include(dry.output, 'Dry run: 2 pending request(s)')
    assert.lengthOf(await FriendRequest.all(), 4)

    const real = await run([])
    assert.equal(real.command.exitCode, 0)
    assert.include(real.output, 'Removed 2 pending friend request(s)')
    assert.lengthOf(await FriendRequest.all(), 2)

    const nothing = await run([])
    assert.include(nothing.output, 'No pending friend request is older than 90 days')
  })
})
