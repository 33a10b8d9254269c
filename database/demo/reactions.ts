import db from '@adonisjs/lucid/services/db'
import { ago, type DemoWorld } from '#database/demo/world'

/** What people say under the posts, in turn. */
const COMMENTS = [
  'Love this.',
  'Could you share the notes?',
  'Same here, it took me ages.',
  'Beautiful!',
  'I disagree, but I see the point.',
  'Coffee on Thursday to talk about it?',
]

/**
 * Likes and comments on every post, picked by position (no randomness): the
 * n-th post gets n % 6 + 1 likes and n % 3 comments, from the people after
 * its author, each an hour or more after the post. The counts on the posts
 * are set from the rows.
 */
export async function reactions(world: DemoWorld) {
  const likes = []
  const comments = []
  const others = (authorId: number, n: number) =>
    world.users.filter((user) => user.id !== authorId).slice(n % 5)
  for (const [n, post] of world.posts.entries()) {
    const people = others(post.userId, n)
    const row = await db.from('posts').where('id', post.id).select('created_at').firstOrFail()
    const after = (hours: number) =>
      new Date(new Date(row.created_at).getTime() + hours * 3_600_000)
    const at = (hours: number) =>
      new Date(Math.min(after(hours).getTime(), ago(world, 0).getTime()))
    for (const [k, user] of people.slice(0, (n % 6) + 1).entries()) {
      // Settled: the demo's likes owe no notification (the worker would send them all at start).
      likes.push({
        post_id: post.id,
        user_id: user.id,
        created_at: at(k + 1),
        notified_at: at(k + 1),
      })
    }
    for (const [k, user] of people.slice(0, n % 3).entries()) {
      comments.push({
        post_id: post.id,
        user_id: user.id,
        text: COMMENTS[(n + k) % COMMENTS.length],
        created_at: at(k + 1),
      })
    }
  }
  if (likes.length) await db.table('likes').multiInsert(likes)
  if (comments.length) await db.table('comments').multiInsert(comments)
  await db.rawQuery(
    `UPDATE posts p SET
       likes_count = (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id),
       comments_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id),
       version = version + 1`
  )
  return `${likes.length} likes and ${comments.length} comments`
}
