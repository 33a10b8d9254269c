import { test } from '@japa/runner'
import { once } from 'node:events'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { FriendshipsService } from '#services/friends/friendships_service'
import { PostService } from '#services/posts/post_service'
import { TimelineStore } from '#services/posts/timeline_store'
import { HomeFeed, sqlFeedIds } from '#services/posts/home_feed'
import { friendIdsOf as friendIds } from '#services/friends/friendship_queries'
import { resetPipeline, startWorkerProcess } from '#tests/integration/helpers/worker'
import { resetFeedState } from '#tests/posts_helpers'
import { befriend, insertUsers } from '#tests/feed_graph'
import { waitUntil } from '#tests/helpers'

/** `node ace worker` as a real process: jobs and the outbox sweep, every second. */
const startWorker = () =>
  startWorkerProcess(['--only=jobs', '--only=sweep', '--sweep-every=1', '--concurrency=4'])

async function fannedOut() {
  const [row] = await db.from('posts').whereNotNull('fanned_out_at').count('* as total')
  return Number(row.total)
}

test.group('Feed fan-out in the worker', (group) => {
  group.each.setup(async () => {
    await resetPipeline()
    await resetFeedState()
  })
  group.each.teardown(() => resetPipeline())

  test('a worker killed mid-fan-out loses nothing once one runs again', async ({ assert }) => {
    // 30 authors, each a friend of 300 readers whose timelines exist.
    const readers = await insertUsers(300, 'reader')
    const authors = await insertUsers(30, 'author')
    await befriend(
      authors.flatMap((author) => readers.map((reader) => [author, reader] as [number, number]))
    )
    const feed = await app.container.make(HomeFeed)
    for (const reader of readers) await feed.rebuild(reader)

    // Posts written while no worker runs: their jobs wait in Redis.
    const posts = await app.container.make(PostService)
    const total = 150
    for (let i = 0; i < total; i++) {
      await posts.create(authors[i % authors.length], { text: `post ${i}` })
    }

    let worker = startWorker()
    try {
      await waitUntil(async () => (await fannedOut()) > 0, 30_000)
      worker.child.kill('SIGKILL')
      await once(worker.child, 'exit')
      const atKill = await fannedOut()
      assert.isBelow(atKill, total, 'the worker was killed with fan-outs still to do')

      worker = startWorker()
      await waitUntil(async () => (await fannedOut()) === total, 60_000)
    } finally {
      worker.child.kill('SIGTERM')
      await once(worker.child, 'exit')
    }

    // Every reader's timeline holds every post: the feed is the SQL answer.
    for (const reader of readers) {
      const expected = await sqlFeedIds([reader, ...(await friendIds(reader))], undefined, 51)
      const shown = await feed.page(reader, { limit: 50 })
      assert.deepEqual(
        shown.map((post) => post.id),
        expected
      )
    }
  }).timeout(150_000)

  test('a friend made while the worker runs gets the author’s next post', async ({ assert }) => {
    const [author, friend, newFriend] = await insertUsers(3, 'pair')
    await befriend([[author, friend]])
    const feed = await app.container.make(HomeFeed)
    for (const reader of [friend, newFriend]) await feed.rebuild(reader)
    const posts = await app.container.make(PostService)

    const worker = startWorker()
    try {
      // A fan-out to the author's friends of now, before the new one.
      await posts.create(author, { text: 'Before' })
      await waitUntil(async () => (await fannedOut()) === 1, 30_000)

      // Asked, then asked back: accepted while the worker runs.
      const friendships = await app.container.make(FriendshipsService)
      await friendships.send(author, newFriend)
      await friendships.send(newFriend, author)

      const after = await posts.create(author, { text: 'After' })
      await waitUntil(async () => (await fannedOut()) === 2, 30_000)
      const timelines = await app.container.make(TimelineStore)
      assert.include(await timelines.range(newFriend, undefined, 0, 10), after.id)
      assert.include(await timelines.range(friend, undefined, 0, 10), after.id)
    } finally {
      worker.child.kill('SIGTERM')
      await once(worker.child, 'exit')
    }
  }).timeout(90_000)
})
