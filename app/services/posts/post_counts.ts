import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PostRow } from '#models/post'
import { Slots } from '#helpers/slots'
import { committedPost, type CommittedPost } from '#cache/post_cache'

export type PostCounter = 'likes_count' | 'comments_count'

/** A post's row read under its lock, with whether its author is suspended. */
export type LockedPost = PostRow & { author_suspended: 0 | 1 }

/**
 * Locks the post's row for the rest of the transaction, before the like or
 * comment is written: a writer that first inserted its row (which takes a
 * shared lock on the post, for the foreign key) and then updated the count
 * would deadlock with its neighbours doing the same. Returns the row as it
 * stands under the lock (what commits, but for this transaction's own
 * changes) with its author's suspension, or null when the post is gone.
 */
export async function lockPost(
  trx: TransactionClientContract,
  postId: number
): Promise<LockedPost | null> {
  const locked = await lockPosts(trx, [postId])
  return locked.get(postId) ?? null
}

/**
 * lockPost for several posts at once, locked in the order of their ids (as
 * every writer that locks more than one takes them, so two never wait for
 * each other); the posts that are gone are absent from the map. The
 * authors' suspension is read after the locks, without one (likes of one
 * author's posts never queue on the author's row): that first plain read
 * is when the transaction's snapshot begins, so every plain read after it
 * sees what committed before the last lock was granted.
 */
export async function lockPosts(
  trx: TransactionClientContract,
  postIds: number[]
): Promise<Map<number, LockedPost>> {
  const [rows] = await trx.rawQuery('SELECT * FROM posts WHERE id IN (?) ORDER BY id FOR UPDATE', [
    postIds,
  ])
  const posts = rows as PostRow[]
  const authorIds = [...new Set(posts.map((post) => post.user_id))]
  const [suspended] = authorIds.length
    ? await trx.rawQuery('SELECT id FROM users WHERE id IN (?) AND suspended_at IS NOT NULL', [
        authorIds,
      ])
    : [[]]
  const away = new Set((suspended as { id: number }[]).map((user) => user.id))
  return new Map(
    posts.map((post) => [post.id, { ...post, author_suspended: away.has(post.user_id) ? 1 : 0 }])
  )
}

/**
 * A post's likes and comments counts move in the transaction that adds or
 * removes the like or comment (and only when a row was really added or
 * removed), by one atomic UPDATE: concurrent writers queue on the post's
 * row and none loses another's change.
 */
export function adjustCount(
  trx: TransactionClientContract,
  postId: number,
  counter: PostCounter,
  delta: number
) {
  return adjustCounts(trx, counter, new Map([[postId, delta]]))
}

/** adjustCount for several posts, each by its own delta, in one UPDATE. */
export async function adjustCounts(
  trx: TransactionClientContract,
  counter: PostCounter,
  deltas: Map<number, number>
) {
  const ids = [...deltas.keys()]
  // CAST: an UNSIGNED column minus a larger number would be out of range mid-expression.
  const change = ids.map(() => 'WHEN ? THEN ?').join(' ')
  await trx.rawQuery(
    `UPDATE posts SET ?? = CAST(?? AS SIGNED) + CASE id ${change} END, version = version + 1
      WHERE id IN (?)`,
    [counter, counter, ...ids.flatMap((id) => [id, deltas.get(id)!]), ids]
  )
}

/**
 * How many changes of one post a process runs at once: one holding the
 * post's row, one waiting for it in MySQL, so the lock passes on at the
 * first one's COMMIT without a round trip through this process.
 */
const CHANGES_AT_ONCE = 2

/** The changes of each post running or waiting in this process. */
const turns = new Map<number, Slots>()

/**
 * Runs the changes of one post that this process makes at most
 * CHANGES_AT_ONCE at a time, the rest in order of arrival. They would
 * queue on the post's row lock in MySQL anyway, each holding a pooled
 * connection while it waits: a burst of likes on one post would hold the
 * whole pool and leave every other request waiting for a connection.
 */
export async function fewAtATime<T>(postId: number, change: () => Promise<T>): Promise<T> {
  let slots = turns.get(postId)
  if (!slots) turns.set(postId, (slots = new Slots(CHANGES_AT_ONCE)))
  try {
    return await slots.run(change)
  } finally {
    if (slots.idle) turns.delete(postId)
  }
}

/**
 * One like or comment row added or removed with its post's count, in one
 * transaction (fewAtATime per post in this process): the post locked first, then `write` given the locked row
 * (true when it really added or removed the row; it may throw to refuse),
 * then the count. Returns the post as this change committed it (read under
 * the lock, so the post cache takes it without reading it again); null,
 * and nothing counted, when the post or the row was not there.
 */
export function countedChange(
  postId: number,
  counter: PostCounter,
  delta: number,
  write: (trx: TransactionClientContract, post: LockedPost) => Promise<boolean>
): Promise<CommittedPost | null> {
  return fewAtATime(postId, () =>
    db.transaction(async (trx) => {
      const row = await lockPost(trx, postId)
      if (!row || !(await write(trx, row))) return null
      await adjustCount(trx, postId, counter, delta)
      return committedPost({ ...row, [counter]: row[counter] + delta, version: row.version + 1 })
    })
  )
}

/**
 * Before an account's rows go (the foreign keys cascade its likes and
 * comments away): the counts of the others' posts it liked or commented on
 * drop by what it leaves. Returns those posts, for their cached copies.
 */
export async function forgetReactionsOf(trx: TransactionClientContract, userId: number) {
  const left = new Map<PostCounter, { id: number; user_id: number; n: number }[]>()
  for (const [table, counter] of [
    ['likes', 'likes_count'],
    ['comments', 'comments_count'],
  ] as const) {
    const [rows] = await trx.rawQuery(
      `SELECT p.id, p.user_id, COUNT(*) AS n FROM ?? t JOIN posts p ON p.id = t.post_id
        WHERE t.user_id = ? AND p.user_id <> ? GROUP BY p.id, p.user_id`,
      [table, userId, userId]
    )
    left.set(counter, rows)
  }
  const touched = new Map<number, number>()
  for (const rows of left.values()) for (const row of rows) touched.set(row.id, row.user_id)
  // All the posts at once, in the order of their ids, as a batch of likes takes them.
  if (touched.size) await lockPosts(trx, [...touched.keys()])
  for (const [counter, rows] of left) {
    if (rows.length) {
      await adjustCounts(trx, counter, new Map(rows.map((row) => [row.id, -Number(row.n)])))
    }
  }
  return [...touched].map(([postId, authorId]) => ({ postId, authorId }))
}
