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
import { forgetRelations } from '#tests/friends'
import { LikeService } from '#services/likes/like_service'
import { CommentService } from '#services/comments/comment_service'
import { presentPosts } from '#presenters/post_presenter'
import type { PostData } from '#models/post'

/**
 * The feed must be the plain SQL query's answer, page by page, whatever
 * happens between two pages. A random graph, a timeline capacity small
 * enough that older pages fall below it, timelines built before and after
 * posts, fan-outs, deletes, unfriends and new friendships, likes, unlikes
 * and comments in the middle of paging; some changes tell the listeners,
 * some only change the rows. Each page's counts and the viewer's `liked`
 * are the rows' too.
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
    const likes = await app.container.make(LikeService)
    const comments = await app.container.make(CommentService)

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

    // Likes and comments on random posts, through the use cases (counts, cache).
    const postIds: number[] = (await db.from('posts').select('id')).map((row) => row.id)
    const react = async () => {
      const user = { id: random.pick(users) }
      const postId = random.pick(postIds)
      const roll = random.int(4)
      if (roll === 0) await comments.create(user, postId, `comment by ${user.id}`)
      else if (roll === 1) await likes.unlike(user, postId).catch(() => {})
      else await likes.like(user, postId).catch(() => {})
    }
    for (let i = 0; i < 400; i++) await react().catch(() => {})

    /** The page's counts and `liked` for its viewer, against the rows. */
    const checkReactions = async (userId: number, rows: PostData[]) => {
      if (!rows.length) return
      const truth = await db
        .from('posts as p')
        .whereIn(
          'p.id',
          rows.map((post) => post.id)
        )
        .select(
          'p.id',
          db.raw('(SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id) AS likes'),
          db.raw('(SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id) AS comments'),
          db.raw(
            'EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ?) AS liked',
            [userId]
          )
        )
      const byId = new Map(truth.map((row) => [row.id, row]))
      const shown = await presentPosts(rows, { id: userId })
      assert.deepEqual(
        shown.map((post) => [post.id, post.likes_count, post.comments_count, post.viewer.liked]),
        rows.flatMap((post) => {
          const row = byId.get(post.id)
          return row ? [[post.id, Number(row.likes), Number(row.comments), Boolean(row.liked)]] : []
        }),
        `counts for user ${userId}`
      )
    }

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
        await checkReactions(userId, rows)
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
            // Rows only, as an operator's SQL: no event; once the viewer's kept
            // relations are gone (a minute), the read must notice by itself.
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
            await forgetRelations()
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
        } else {
          // Likes and comments come and go, on this page's posts among others.
          for (let i = 0; i < 3; i++) await react().catch(() => {})
          const post = random.pick(shown)
          await likes.like({ id: userId }, post).catch(() => {})
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
      await checkReactions(userId, rows)
    }
    assert.isAbove(pagesChecked, 200)
    assert.isAbove(changes, 100)
    // The reactions really happened (their refusals, for deleted posts, are caught above).
    const [{ n: likeRows }] = await db.from('likes').count('* as n')
    const [{ n: commentRows }] = await db.from('comments').count('* as n')
    assert.isAbove(Number(likeRows), 150)
    assert.isAbove(Number(commentRows), 50)
  }).timeout(180_000)
})
