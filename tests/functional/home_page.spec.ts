import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import { UserFactory } from '#database/factories/user_factory'
import Post from '#models/post'
import { PostService } from '#services/posts/post_service'
import { CacheStores } from '#cache/stores'
import { RECENT_PUBLIC_POSTS } from '#services/posts/post_queries'
import { isolateFeedState } from '#tests/posts_helpers'
import { isolateDatabase, route } from '#tests/helpers'
import { DrainJob } from '#jobs/drain_job'

const base = () => `http://${process.env.HOST}:${process.env.PORT}`

/** The home page as a visitor without any cookie gets it. */
async function visitorHome() {
  const response = await fetch(new URL(route('home'), base()), { redirect: 'manual' })
  return { status: response.status, text: await response.text() }
}

test.group('Home page for visitors', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  group.each.setup(async () => (await app.container.make(CacheStores)).recentPublicPosts.clear())

  test('says what G-Social is, invites to join, and shows the newest posts', async ({ assert }) => {
    const posts = await app.container.make(PostService)
    const [ada, bob] = await UserFactory.merge([
      { firstName: 'Ada' },
      { firstName: 'Bob' },
    ]).createMany(2)
    for (let n = 1; n <= RECENT_PUBLIC_POSTS + 2; n++) {
      await posts.create(n % 2 ? ada.id : bob.id, { text: `Post number ${n}.` })
      // Posts for friends only, among them, are never shown to visitors.
      await posts.create(ada.id, { text: `For friends ${n}.`, audience: 'friends' })
    }

    const page = await visitorHome()
    assert.equal(page.status, 200)
    for (const words of ['Friends', 'Posts', 'Your feed', 'Live notifications']) {
      assert.include(page.text, `<strong>${words}</strong>`)
    }
    assert.include(page.text, `href="${route('register')}"`)
    assert.include(page.text, `href="${route('login')}"`)
    assert.notInclude(page.text, 'add a picture and a few words about yourself')

    // The ten newest, newest first; the two oldest are not shown.
    const shown = [...page.text.matchAll(/Post number (\d+)\./g)].map((match) => Number(match[1]))
    assert.deepEqual(
      shown,
      Array.from({ length: RECENT_PUBLIC_POSTS }, (_, index) => RECENT_PUBLIC_POSTS + 2 - index)
    )
    assert.notInclude(page.text, 'For friends')
    // Visitors get no delete links.
    assert.notInclude(page.text, '/delete')
  })

  test('a cached read: many visitors cost one query and no Redis key; a deleted post leaves at once', async ({
    assert,
    cleanup,
  }) => {
    const posts = await app.container.make(PostService)
    const ada = await UserFactory.create()
    await posts.create(ada.id, { text: 'Still here.' })
    const gone = await posts.create(ada.id, { text: 'Soon gone.' })
    // The fan-out the posts asked for is queued before the keys are counted.
    await DrainJob.settled()

    // A store of its own for the count: the bus's channel is heard across
    // Redis databases, so other runs' invalidations would drop the shared one.
    const quiet = new CacheStores()
    app.container.swap(CacheStores, () => quiet)
    cleanup(() => app.container.restore(CacheStores))
    const keysBefore = new Set(await redis.keys('*'))
    const before = quiet.recentPublicPosts.stats()
    for (let visit = 0; visit < 20; visit++) {
      const page = await visitorHome()
      assert.equal(page.status, 200)
      assert.include(page.text, 'Soon gone.')
    }
    const after = quiet.recentPublicPosts.stats()
    assert.equal(after.misses - before.misses, 1)
    assert.equal(after.hits - before.hits, 19)
    const added = (await redis.keys('*')).filter((key) => !keysBefore.has(key))
    assert.deepEqual(added, [])

    app.container.restore(CacheStores)
    await posts.delete(await Post.findOrFail(gone.id))
    const page = await visitorHome()
    assert.notInclude(page.text, 'Soon gone.')
    assert.include(page.text, 'Still here.')
  })

  test('with no post yet, the page says so', async ({ assert }) => {
    const page = await visitorHome()
    assert.equal(page.status, 200)
    assert.include(page.text, 'Nobody has posted yet')
  })
})
