import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import feedConfig from '#config/feed'
import Post from '#models/post'
import { HomeFeed, sqlFeedIds } from '#services/posts/home_feed'
import { friendIdsOf as friendIds } from '#services/friends/friendship_queries'
import { PostService } from '#services/posts/post_service'
import { FriendshipsService } from '#services/friends/friendships_service'
import { isolateDatabase } from '#tests/helpers'
import { drainFanOuts, isolateFeedState } from '#tests/posts_helpers'
import { befriend, insertPosts, insertUsers, seededRandom } from '#tests/feed_graph'

/**
 * The feed must be the plain SQL query's answer, page by page, whatever
 * happens between two pages. A random graph, a timeline capacity small
 * enough that older pages fall below it, timelines built before and after
 * posts, fan-outs, deletes, unfriends and new friendships in the middle of
 * paging; some changes tell the listeners, some only change the rows.
 */
test.group('Feed / same answer as SQL on a random graph', (group) => {
  isolateDatabase(group)
  isolateFeedState(group)
  const capacity = feedConfig.capacity
  group.each.setup(() => {
    feedConfig.capacity = 60
    return () => {
      feedConfig.capacity = capacity
    }
  })

  test('hundreds of users, thousands of posts, changes mid-paging', async ({ assert }) => {
    const random = seededRandom(20_251_124)
    const feed = await app.container.make(HomeFeed)
    const postService = await app.container.make(PostService)
    const friendships = await app.container.make(FriendshipsService)

    const users = await insertUsers(200, 'graph')
    const pairs = new Set<string>()
    const friendPairs: [number, number][] = []
    const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`)
    // Mostly small friend lists, a few popular users with many friends.
    for (const user of users) {
      const degree = random.int(10) < 1 ? 60 + random.int(60) : random.int(12)
      for (let i = 0; i < degree; i++) {
        const other = random.pick(users)
        if (other === user || pairs.has(pairKey(user, other))) continue
        pairs.add(pairKey(user, other))
        friendPairs.push([user, other])
      }
    }
    await befriend(friendPairs)

    // Half the posts exist before any timeline is built...
    await insertPosts(Array.from({ length: 1000 }, () => random.pick(users)))
    for (const user of users.filter(() => random.next() < 0.5)) {
      await feed.page(user, { limit: 5 })
    }
    // ...half are written after, and fanned out as the worker's drain does.
    await insertPosts(Array.from({ length: 1000 }, () => random.pick(users)))
    await drainFanOuts()

    const expectedPage = async (userId: number, before: number | undefined, limit: number) => {
      const authors = [userId, ...(await friendIds(userId))]
      return sqlFeedIds(authors, before, limit + 1)
    }

    let pagesChecked = 0
    let changes = 0
    for (const userId of users.filter(() => random.next() < 0.2)) {
      let before: number | undefined
      const seen = new Set<number>()
      for (let pageNumber = 0; pageNumber < 30; pageNumber++) {
        const limit = 1 + random.int(30)
        const rows = await feed.page(userId, { before, limit })
        const ids = rows.map((post) => post.id)
        assert.deepEqual(ids, await expectedPage(userId, before, limit), `user ${userId}`)
        pagesChecked++

        const shown = ids.slice(0, limit)
        for (const id of shown) {
          assert.isFalse(seen.has(id), `post ${id} shown twice to ${userId}`)
          seen.add(id)
        }
        if (ids.length <= limit) break
        before = shown[shown.length - 1]

        // Something happens before the next page.
        changes++
        const roll = random.int(6)
        const friends = await friendIds(userId)
        if (roll === 0 && friends.length) {
          // A friend's post on a later page is deleted.
          const victim = await Post.query()
            .whereIn('userId', friends)
            .where('id', '<', before)
            .orderBy('id', 'desc')
            .offset(random.int(10))
            .first()
          if (victim) await postService.delete(victim)
        } else if (roll === 1 && friends.length) {
          const other = random.pick(friends)
          if (random.next() < 0.5) {
            await friendships.unfriend(userId, other)
          } else {
            // Rows only: no event, the read must notice by itself.
            await db
              .from('friendships')
              .whereIn(
                ['user_id', 'friend_id'],
                [
                  [userId, other],
                  [other, userId],
                ]
              )
              .delete()
          }
        } else if (roll === 2) {
          const other = random.pick(users)
          if (other !== userId && !friends.includes(other)) await befriend([[userId, other]])
        } else if (roll === 3) {
          // A new post (fanned out as the job does) is above the cursor: no effect on later pages.
          await insertPosts([random.pick([userId, ...friends])])
          await drainFanOuts()
        } else if (roll === 4) {
          // A timeline expires or is dropped; the next read rebuilds it.
          await feed.rebuild(userId)
        }
      }
    }

    // Every user's first page, once more, after all of that.
    for (const userId of users) {
      const rows = await feed.page(userId, { limit: 20 })
      assert.deepEqual(
        rows.map((post) => post.id),
        await expectedPage(userId, undefined, 20)
      )
    }
    assert.isAbove(pagesChecked, 200)
    assert.isAbove(changes, 100)
  }).timeout(180_000)
})
