import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { adjustCounts, lockPosts, type LockedPost } from '#services/posts/post_counts'
import { committedPost, type CommittedPost } from '#cache/post_cache'
import NotFoundException from '#exceptions/not_found_exception'

/** A like (+1) or unlike (-1) of one post by one user. */
export interface LikeChange {
  userId: number
  postId: number
  delta: 1 | -1
  /** Throws (a 404) when the user may not see the post as it stands under its lock. */
  check: (post: LockedPost) => void
}

/**
 * What became of a change: the post's author and, when the change really
 * added or removed the like, the post as its batch committed it.
 */
export interface LikeOutcome {
  authorId: number
  committed: CommittedPost | null
}

type Waiting = LikeChange & {
  resolve: (outcome: LikeOutcome) => void
  reject: (error: unknown) => void
}

/** The most changes one transaction writes; the rest wait for the next. */
const BATCH_SIZE = 200
/**
 * How many batches a process runs at once: one holding its posts' rows, one
 * waiting for them in MySQL, so the locks pass on at the first one's COMMIT.
 */
const BATCHES_AT_ONCE = 2

let waiting: Waiting[] = []
let running = 0
let scheduled = false

/**
 * Likes and unlikes are written in batches: those that arrive in the same
 * turn of the event loop (or while the process's batches run) share one
 * transaction — their posts locked together, the likes already there read
 * once, one INSERT, one DELETE and one UPDATE of the counts — instead of
 * five statements each. A burst of likes on one post takes a few
 * transactions, not one per like queued on the post's row. A change the
 * user may not make (a post gone or hidden from them, their account deleted
 * meanwhile) is refused alone; any other error of the transaction fails its
 * whole batch, and nothing of it is written. A batch waiting for a post's
 * row holds one of the two: while two wait on rows held long (an account
 * being deleted), every like of the process waits with them.
 */
export function changeLike(change: LikeChange): Promise<LikeOutcome> {
  return new Promise((resolve, reject) => {
    waiting.push({ ...change, resolve, reject })
    schedule()
  })
}

function schedule() {
  if (scheduled || running >= BATCHES_AT_ONCE || !waiting.length) return
  scheduled = true
  setImmediate(() => {
    scheduled = false
    if (running >= BATCHES_AT_ONCE || !waiting.length) return
    const batch = waiting.slice(0, BATCH_SIZE)
    waiting = waiting.slice(BATCH_SIZE)
    running++
    void write(batch).finally(() => {
      running--
      schedule()
    })
    schedule()
  })
}

/** How many times a batch is tried when the likes it read had changed by its writes (isStale). */
const ATTEMPTS = 3

async function write(batch: Waiting[]) {
  let outcomes: Map<Waiting, LikeOutcome | NotFoundException> | undefined
  for (let attempt = 1; !outcomes; attempt++) {
    try {
      outcomes = await db.transaction((trx) => writeBatch(trx, batch))
    } catch (error) {
      if (attempt < ATTEMPTS && isStale(error)) continue
      if ((error as { code?: string }).code === 'ER_NO_REFERENCED_ROW_2') {
        // A liker's account deleted meanwhile fails the INSERT of the whole
        // batch: each change is tried alone, so that one alone is refused.
        if (batch.length === 1) return batch[0].reject(new NotFoundException('Post'))
        for (const change of batch) await write([change])
        return
      }
      for (const change of batch) change.reject(error)
      return
    }
  }
  for (const [change, outcome] of outcomes) {
    if (outcome instanceof NotFoundException) change.reject(outcome)
    else change.resolve(outcome)
  }
}

/** The likes a batch read were not the latest: it wrote nothing, and is tried again. */
class StaleLikes extends Error {}

/**
 * A like the batch did not see was there (its INSERT), or one it saw was
 * gone (its DELETE); or MySQL chose it as a deadlock's victim.
 */
function isStale(error: unknown) {
  const code = (error as { code?: string }).code
  return error instanceof StaleLikes || code === 'ER_DUP_ENTRY' || code === 'ER_LOCK_DEADLOCK'
}

/**
 * Under the posts' locks (which every writer of a post's likes takes first,
 * so their likes cannot change until COMMIT): each change in the order it
 * arrived, against the likes as the earlier ones left them. The likes are
 * read without locks (a locking read of absent rows would lock gaps that
 * two batches' INSERTs could deadlock on), in the snapshot lockPosts began
 * once every lock was granted; should a write still meet a row it did not
 * read (a duplicate key, a like not there to delete), the batch starts over.
 */
async function writeBatch(trx: TransactionClientContract, batch: Waiting[]) {
  const postIds = [...new Set(batch.map((change) => change.postId))].sort((a, b) => a - b)
  const posts = await lockPosts(trx, postIds)
  const pair = (postId: number, userId: number) => `${postId}:${userId}`
  const pairs = (keys: Iterable<string>) => [...keys].map((key) => key.split(':').map(Number))
  const asked = pairs(new Set(batch.map((change) => pair(change.postId, change.userId))))
  const [rows] = await trx.rawQuery(
    `SELECT post_id, user_id FROM likes WHERE ${whereAny(asked)}`,
    asked.flat()
  )
  const before = new Set(
    (rows as { post_id: number; user_id: number }[]).map((row) => pair(row.post_id, row.user_id))
  )
  const liked = new Set(before)
  const deltas = new Map<number, number>()
  const refused = new Map<Waiting, NotFoundException>()
  const effective = new Set<Waiting>()
  for (const change of batch) {
    const post = posts.get(change.postId)
    try {
      if (!post) throw new NotFoundException('Post')
      change.check(post)
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error
      refused.set(change, error)
      continue
    }
    const key = pair(change.postId, change.userId)
    // Liking what is liked, or unliking what is not, changes nothing.
    if (liked.has(key) === (change.delta === 1)) continue
    if (change.delta === 1) liked.add(key)
    else liked.delete(key)
    deltas.set(change.postId, (deltas.get(change.postId) ?? 0) + change.delta)
    effective.add(change)
  }

  const added = pairs([...liked].filter((key) => !before.has(key)))
  const removed = pairs([...before].filter((key) => !liked.has(key)))
  if (added.length) {
    // A like of one's own post owes no notification (LikeNotificationOutbox): written settled.
    const values = added.map(() => '(?, ?, UTC_TIMESTAMP(3), IF(?, UTC_TIMESTAMP(3), NULL))')
    await trx.rawQuery(
      `INSERT INTO likes (post_id, user_id, created_at, notified_at) VALUES ${values.join(', ')}`,
      added.flatMap(([postId, userId]) => [postId, userId, posts.get(postId)!.user_id === userId])
    )
  }
  if (removed.length) {
    const [result] = await trx.rawQuery(
      `DELETE FROM likes WHERE ${whereAny(removed)}`,
      removed.flat()
    )
    if (result.affectedRows !== removed.length) throw new StaleLikes()
  }
  const moved = new Map([...deltas].filter(([, delta]) => delta !== 0))
  if (moved.size) await adjustCounts(trx, 'likes_count', moved)

  const outcomeOf = (change: Waiting): LikeOutcome => {
    const row = posts.get(change.postId)!
    const delta = moved.get(change.postId) ?? 0
    const committed = {
      ...row,
      likes_count: row.likes_count + delta,
      version: row.version + (delta ? 1 : 0),
    }
    return {
      authorId: row.user_id,
      committed: effective.has(change) ? committedPost(committed) : null,
    }
  }
  return new Map(batch.map((change) => [change, refused.get(change) ?? outcomeOf(change)]))
}

/** Matches the likes of these (post, user) pairs: one primary key lookup each. */
function whereAny(pairs: number[][]) {
  return pairs.map(() => '(post_id = ? AND user_id = ?)').join(' OR ')
}
