import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { schedules } from '#jobs/schedules'
import { WebSession } from '#tests/integration/helpers/sse'
import { truncateTables, waitUntil } from '#tests/helpers'
import { redisCli, RedisOutageStack } from './helpers/redis_outages.js'

const PASSWORD = 'redis outage password'

async function fannedOut(postId: number) {
  const post = await db.from('posts').where('id', postId).select('fanned_out_at').first()
  return post?.fanned_out_at !== null && post?.fanned_out_at !== undefined
}

async function notificationsOf(userId: number) {
  return db.from('notifications').where('recipient_id', userId).select('type', 'actor_id')
}

/**
 * Redis away, lost and failed over, under the built app and a worker that
 * reach it only through Sentinel (tests/scale/helpers/redis_outages.ts).
 */
test.group('Scale-out: Redis outages, FLUSHALL and a Sentinel failover', (group) => {
  let stack: RedisOutageStack

  group.setup(async () => {
    await truncateTables()
    stack = await RedisOutageStack.start()
    return () => stack.stop()
  })

  test('Redis stopped: a post and a friend request answer within a second; fan-out and notification follow its return', async ({
    assert,
  }) => {
    const { users, token } = await stack.users('outage', 3, PASSWORD)
    const [author, friend, stranger] = users
    await stack.befriend(author, friend)

    const primary = await stack.redis.primary()
    await primary.stop()
    let post: { status: number; text: string; ms: number }
    let request: typeof post
    try {
      post = await stack.api('POST', '/api/posts', token, { text: 'written while Redis is away' })
      request = await stack.api('POST', '/api/friend-requests', token, {
        receiver_id: stranger.id,
      })
      console.log(
        `Redis down: POST /api/posts ${post.ms} ms, POST /api/friend-requests ${request.ms} ms`
      )
      assert.equal(post.status, 201, post.text)
      assert.equal(request.status, 201, request.text)
      // About a second at most: the queue is not waited on (it was 8.6 s).
      assert.isBelow(post.ms, 1500)
      assert.isBelow(request.ms, 1500)
    } finally {
      await primary.start()
    }

    // The rows owe the work; the worker's sweeps do it once Redis is back.
    const postId = JSON.parse(post.text).id
    await waitUntil(() => fannedOut(postId), 30_000)
    await waitUntil(async () => (await notificationsOf(stranger.id)).length === 1, 30_000)
    assert.deepEqual(await notificationsOf(stranger.id), [
      { type: 'friend_request', actor_id: author.id },
    ])
  }).timeout(90_000)

  test('Redis stopped: a signed-in page answers a 503 page within a second, never a 500', async ({
    assert,
  }) => {
    const { users } = await stack.users('signed_in', 1, PASSWORD)
    const session = await WebSession.signIn(stack.url(''), users[0].username, PASSWORD)

    const primary = await stack.redis.primary()
    await primary.stop()
    try {
      const started = performance.now()
      const page = await session.fetch('/')
      const ms = Math.round(performance.now() - started)
      const html = await page.text()
      console.log(`Redis down: signed-in page ${page.status} in ${ms} ms`)
      assert.equal(page.status, 503, html.slice(0, 500))
      assert.include(html, 'not answering')
      assert.isBelow(ms, 1500)

      // The badge's catch-up, which a page's script calls: the same session read.
      const badge = await session.fetch('/notifications/badge')
      assert.equal(badge.status, 503)
    } finally {
      await primary.start()
    }
    // The session was kept (append-only file): the same cookie signs in again.
    await waitUntil(async () => (await session.fetch('/')).status === 200, 15_000)
    assert.include(await (await session.fetch('/')).text(), users[0].username)
  }).timeout(90_000)

  test('after FLUSHALL the worker schedules its repeatable jobs again by itself', async ({
    assert,
  }) => {
    const primary = await stack.redis.primary()
    const scheduled = () => redisCli(primary.port, 'zrange', 'bull:default:repeat', '0', '-1')
    // Every schedule: the sweeps as much as the expiry.
    const ids = schedules({ sweepEverySeconds: 1 }).map((schedule) => schedule.id)
    const allScheduled = async () => {
      const now = await scheduled()
      return ids.every((id) => now.includes(id))
    }
    await waitUntil(allScheduled, 20_000)

    await redisCli(primary.port, 'flushall')
    assert.notInclude(await scheduled(), 'expire-friend-requests')
    const started = Date.now()
    await waitUntil(allScheduled, 30_000)
    console.log(`schedules back ${Date.now() - started} ms after FLUSHALL`)
  }).timeout(60_000)

  test('a Sentinel failover: the app and the worker follow the new primary without a restart', async ({
    assert,
  }) => {
    const { users, token } = await stack.users('failover', 2, PASSWORD)
    const [author, friend] = users
    await stack.befriend(author, friend)
    const session = await WebSession.signIn(stack.url(''), author.username, PASSWORD)

    const { before, after } = await stack.redis.failover()
    assert.notEqual(before.port, after.port)

    // The session made before the failover, read from the new primary.
    await waitUntil(async () => (await session.fetch('/')).status === 200, 15_000)
    assert.include(await (await session.fetch('/')).text(), author.username)
    // A new session is written to the new primary.
    const second = await WebSession.signIn(stack.url(''), friend.username, PASSWORD)
    assert.include(await (await second.fetch('/')).text(), friend.username)

    // A post is fanned out by the worker, which follows too.
    const post = await stack.api('POST', '/api/posts', token, { text: 'after the failover' })
    assert.equal(post.status, 201, post.text)
    await waitUntil(() => fannedOut(JSON.parse(post.text).id), 30_000)
    assert.isTrue(stack.app.process.running && stack.fleet.worker.running)
  }).timeout(120_000)
})
