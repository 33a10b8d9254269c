import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import emitter from '@adonisjs/core/services/emitter'
import { PostAccess } from '#services/posts/post_access'
import { countedChange } from '#services/posts/post_counts'
import { pageQuery, toPage, type PageRequest } from '#helpers/page'
import { summariesSeenBy } from '#presenters/friend_request_presenter'
import type { Viewer } from '#presenters/post_presenter'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * Liking posts: one `likes` row per (post, user); the post's `likes_count`
 * moves in the same transaction, only when the row was really added or
 * removed, so liking twice or unliking what is not liked changes nothing.
 */
@inject()
export class LikeService {
  constructor(private access: PostAccess) {}

  /** Likes the post (idempotent); a post the user may not see is a 404. */
  like(user: { id: number }, postId: number) {
    return this.#change(user, postId, 1, 'post.liked', async (trx, authorId) => {
      // A like already there inserts nothing, and counts nothing. A like of
      // one's own post owes no notification (LikeNotificationOutbox): written settled.
      const [result] = await trx.rawQuery(
        `INSERT IGNORE INTO likes (post_id, user_id, created_at, notified_at)
         VALUES (?, ?, UTC_TIMESTAMP(3), IF(?, UTC_TIMESTAMP(3), NULL))`,
        [postId, user.id, authorId === user.id]
      )
      return result.affectedRows === 1
    })
  }

  /** Takes the like back (204 when there was none); an unknown post is a 404. */
  unlike(user: { id: number }, postId: number) {
    return this.#change(user, postId, -1, 'post.unliked', async (trx) => {
      const [result] = await trx.rawQuery('DELETE FROM likes WHERE post_id = ? AND user_id = ?', [
        postId,
        user.id,
      ])
      return result.affectedRows === 1
    })
  }

  /**
   * Writes the like row with `write` (true when it really added or removed
   * it) and moves the count, on the post as it stands under its lock, which
   * also decides whether the user may see it (a 404 otherwise); the event
   * goes out only when a row changed.
   */
  async #change(
    user: { id: number },
    postId: number,
    delta: 1 | -1,
    event: 'post.liked' | 'post.unliked',
    write: (trx: TransactionClientContract, authorId: number) => Promise<boolean>
  ) {
    const lens = await this.access.lens(user)
    let authorId: number | undefined
    const committed = await countedChange(postId, 'likes_count', delta, (trx, post) => {
      this.access.assertSeesLocked(lens, post)
      authorId = post.user_id
      return write(trx, post.user_id)
    })
    if (authorId === undefined) throw new NotFoundException('Post')
    if (committed) {
      await emitter.emit(event, { postId, authorId, userId: user.id, committed })
    }
  }

  /**
   * Who likes the post, newest like first (`before` is a like's place, from
   * `next`), without people a block stands between with the viewer.
   */
  async likers(viewer: Viewer, postId: number, page: PageRequest, path: string) {
    await this.access.visiblePost(viewer, postId)
    const lens = await this.access.lens(viewer)
    const rows: { id: number; user_id: number }[] = await pageQuery(
      db.from('likes').where('post_id', postId).select('id', 'user_id'),
      page
    )
    return toPage(rows, page, path, (shown) =>
      summariesSeenBy(lens)(shown.map((row) => ({ id: row.user_id })))
    )
  }
}
