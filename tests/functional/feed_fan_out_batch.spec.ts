import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import FanOutPosts from '#jobs/fan_out_posts'
import { DrainJob } from '#jobs/drain_job'
import { Worker } from 'bullmq'
import { defaultQueue, type QueueConfig } from '#jobs/bull_adapter'
import { HomeFeed, sqlFeedIds } from '#services/posts/home_feed'
import { FanOutOutbox, type OwedPost } from '#services/posts/fan_out_outbox'
import { FeedStream } from '#services/posts/feed_stream'
import { friendIdsOf } from '#services/friends/friendship_queries'
import { isolateDatabase, route } from '#tests/helpers'
import { drainFanOuts, isolateFeedState } from '#tests/posts_helpers'
import { befriend, insertPosts, insertUsers } from '#tests/feed_graph'
import User from '#models/user'
import redis from '@adonisjs/redis/services/main'
import { TimelineStore, timelineKey } from '#services/posts/timeline_store'
import { CacheStores } from '#cache/stores'
import { FriendshipsService } from '#services/friends/friendships_service'
import { BlocksService } from '#services/safety/blocks_service'
import FriendRequest from '#models/friend_request'
import { AccountsService } from '#services/accounts/accounts_service'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { befriend as befriendUsers } from '#tests/friends'

/** Three authors, each a friend of the same ten readers, whose timelines are built. */
async function graph() {
  const readers = await insertUsers(10, 'reader')
  const authors = await insertUsers(3, 'author')
  await befriend(authors.flatMap((a) => readers.map((r) => [a, r] as [number, number])))
  const feed = await app.container.make(HomeFeed)
  for (const reader of readers) await feed.rebuild(reader)
  return { readers, authors, feed }
}

async function owedIds() {
  const rows = await db.from('posts').whereNull('fanned_out_at').orderBy('id').select('id')
  return rows.map((row) => Number(row.id))
}

/** Every reader's first page is the SQL answer. */
async function assertFeedsAreSql(
  assert: { deepEqual: (a: unknown, b: unknown, m?: string) => void },
  feed: HomeFeed,
  readers: number[]
) {
  for (const reader of readers) {
    const expected = await sqlFeedIds([reader, ...(await friendIdsOf(reader))], undefined, 21)
    const shown = await feed.page(reader, { limit: 20 })
    assert.deepEqual(
      shown.map((post) => post.id),
      expected,
      `reader ${reader}`
    )
  }
}

test.group('Feed fan-out in batches', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)

  test('several posts of several authors fan out in one batch and are marked', async ({
    assert,
  }) => {
    const { readers, authors, feed } = await graph()
    const posts = await insertPosts([authors[0], authors[1], authors[2], authors[0], authors[1]])
    assert.deepEqual(await owedIds(), posts)

    const job = await app.container.make(FanOutPosts)
    assert.equal(await job.batch(), posts.length, 'one batch takes them all')
    assert.deepEqual(await owedIds(), [])
    assert.equal(await job.batch(), 0, 'nothing is fanned out twice')
    await assertFeedsAreSql(assert, feed, readers)
  })

  test('a crash mid-batch loses nothing: the posts stay owed, and the next drain writes each once', async ({
    assert,
  }) => {
    const { readers, authors, feed } = await graph()
    const posts = await insertPosts([authors[0], authors[1], authors[2], authors[0]])

    // The batch dies after half its posts reached the timelines.
    const crashing = {
      fanOut: async (claimed: OwedPost[]) => {
        await feed.fanOut(claimed.slice(0, 2))
        throw new Error('worker died')
      },
    } as unknown as HomeFeed
    const outbox = await app.container.make(FanOutOutbox)
    await assert.rejects(
      () => new FanOutPosts(crashing, outbox, new FeedStream()).batch(),
      'worker died'
    )
    assert.deepEqual(await owedIds(), posts, 'no post is marked by the failed batch')

    await drainFanOuts()
    assert.deepEqual(await owedIds(), [])
    await assertFeedsAreSql(assert, feed, readers)
  })

  test("the fan-out keeps an author's friends until a friendship of theirs is made or ended", async ({
    assert,
  }) => {
    const [author, oldFriend, newFriend] = await insertUsers(3, 'kept')
    await befriend([[author, oldFriend]])
    const feed = await app.container.make(HomeFeed)
    for (const reader of [author, oldFriend, newFriend]) await feed.rebuild(reader)
    const { friendLists } = await app.container.make(CacheStores)
    const timelines = new TimelineStore()
    const timelineOf = async (reader: number) => (await timelines.read(reader, undefined, 50)).ids
    const postAndFanOut = async () => {
      const [post] = await insertPosts([author])
      await drainFanOuts()
      return post
    }

    const first = await postAndFanOut()
    const { hits, misses } = friendLists.stats()
    const second = await postAndFanOut()
    assert.equal(friendLists.hits, hits + 1, 'the kept list served the second post')
    assert.equal(friendLists.misses, misses)
    assert.includeMembers(await timelineOf(oldFriend), [first, second])

    // A friendship made through the app: the author's next post reaches the new friend.
    const friendships = await app.container.make(FriendshipsService)
    const { request } = await friendships.send(author, newFriend)
    await friendships.accept(await FriendRequest.findOrFail(request.id))
    const third = await postAndFanOut()
    assert.include(await timelineOf(newFriend), third)

    // Ended by an unfriending or a block: the next post reaches neither.
    await friendships.unfriend(author, oldFriend)
    await (await app.container.make(BlocksService)).block(author, newFriend)
    const fourth = await postAndFanOut()
    assert.notInclude(await timelineOf(oldFriend), fourth)
    assert.notInclude(await timelineOf(newFriend), fourth)
    assert.include(await timelineOf(author), fourth)
    assert.equal(friendLists.misses, misses + 2, 'loaded again after each change only')
  })

  test("deleting an account marks its friends' sets, so no kept list names it", async ({
    assert,
  }) => {
    const [leaving, friend] = await UserFactory.createMany(2)
    await befriendUsers(leaving, friend)
    const versionOf = async (user: User) =>
      (
        await db
          .from('users')
          .where('id', user.id)
          .select(db.raw('CAST(friends_version AS CHAR) AS v'))
      )[0].v
    const before = await versionOf(friend)
    const accounts = await app.container.make(AccountsService)
    await accounts.deleteAccount(leaving, FACTORY_PASSWORD)
    assert.notEqual(await versionOf(friend), before)
  })

  test('a fan-out writes only the timelines that are built; an unbuilt one is built from MySQL when read', async ({
    assert,
  }) => {
    const { readers, authors, feed } = await graph()
    const [newcomer] = await insertUsers(1, 'newcomer')
    await befriend([[authors[0], newcomer]])
    const [post] = await insertPosts([authors[0]])

    await drainFanOuts()
    assert.equal(await redis.zscore(timelineKey(readers[0]), post), String(post))
    assert.equal(
      await redis.exists(timelineKey(newcomer)),
      0,
      'no timeline written for the newcomer'
    )
    await assertFeedsAreSql(assert, feed, [...readers, newcomer])
  })

  test('a built timeline whose index entry ran out is rebuilt on its next read, not trusted', async ({
    assert,
  }) => {
    const { readers, authors, feed } = await graph()
    // Its entry ran out (or was never made) while the timeline itself lived on.
    for (const key of await redis.keys('feed:built:*')) await redis.setbit(key, readers[0], 0)
    const [post] = await insertPosts([authors[1]])

    await drainFanOuts()
    assert.isNull(await redis.zscore(timelineKey(readers[0]), post), 'the fan-out skipped it')
    await assertFeedsAreSql(assert, feed, readers)
  })

  test('a post request inserts the post owed and queues a drain that the posts after it share', async ({
    assert,
    client,
  }) => {
    const queue = await defaultQueue()
    await queue.drain()
    const { authors } = await graph()
    const author = await User.findOrFail(authors[0])
    for (const text of ['one', 'two', 'three']) {
      const response = await client
        .post(route('api.posts.store'))
        .withGuard('api')
        .loginAs(author)
        .json({ text })
      response.assertStatus(201)
    }
    assert.lengthOf(await owedIds(), 3)
    // The request does not wait for the drain to be queued.
    const drains = async () =>
      (await queue.getJobs(['waiting'])).filter((job) => job.name === FanOutPosts.jobName)
    await DrainJob.settled()
    assert.lengthOf(await drains(), 1)
    await queue.drain()
  })

  test('a drain asked for while one runs comes after it, and one asked for after it is queued at once', async ({
    assert,
  }) => {
    const queue = await defaultQueue()
    await queue.drain()
    const drains = async () =>
      (await queue.getJobs(['waiting'])).filter((job) => job.name === FanOutPosts.jobName)
    // A worker that takes jobs only when told, so the test decides when a drain runs and ends.
    const config = app.config.get<QueueConfig>('queue')
    const worker = new Worker(queue.name, null, {
      ...config.worker,
      connection: config.worker.connection ?? config.defaultConnection,
    })
    const token = 'fan-out-test'
    try {
      await FanOutPosts.dispatch()
      await FanOutPosts.dispatch()
      assert.lengthOf(await drains(), 1, 'posts share the drain that waits')

      const running = await worker.getNextJob(token)
      assert.equal(running?.name, FanOutPosts.jobName)
      // A post commits after the running drain has read the outbox.
      await FanOutPosts.dispatch()
      assert.lengthOf(await drains(), 0, 'Bull holds it while the drain runs')
      await running!.moveToCompleted(null, token, false)
      assert.lengthOf(await drains(), 1, 'the drain owed to it is queued as the running one ends')

      const next = await worker.getNextJob(token)
      await next!.moveToCompleted(null, token, false)
      // A post right after the last drain finished must not wait for the sweep.
      await FanOutPosts.dispatch()
      assert.lengthOf(await drains(), 1)
    } finally {
      await worker.close()
      await queue.drain()
    }
  })
})
