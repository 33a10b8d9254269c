import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { PostAccess } from '#services/posts/post_access'
import { changeLike } from '#services/likes/like_batches'
import { pageQuery, toPage, type PageRequest } from '#helpers/page'
import { summariesSeenBy } from '#presenters/friend_request_presenter'
import type { Viewer } from '#presenters/post_presenter'

/**
 * Liking posts: one `likes` row per (post, user); the post's `likes_count`
 * moves in the same transaction (like_batches.ts), only when the row was
 * really added or removed, so liking twice or unliking what is not liked
 * changes nothing.
 */
@inject()
export class LikeService {
  constructor(private access: PostAccess) {}

  /** Likes the post (idempotent); a post the user may not see is a 404. */
  like(user: { id: number }, postId: number) {
    return this.#change(user, postId, 1, 'post.liked')
  }

  /** Takes the like back (204 when there was none); an unknown post is a 404. */
  unlike(user: { id: number }, postId: number) {
    return this.#change(user, postId, -1, 'post.unliked')
  }

  /**
   * Adds or removes the like with the post's count, in a batch with the
   * likes around it (changeLike), on the post as it stands under its lock,
   * which also decides whether the user may see it (a 404 otherwise); the
   * event goes out only when a row changed.
   */
  async #change(
    user: { id: number },
    postId: number,
    delta: 1 | -1,
    event: 'post.liked' | 'post.unliked'
  ) {
    const lens = await this.access.lens(user)
    const { authorId, committed } = await changeLike({
      userId: user.id,
      postId,
      delta,
      check: (post) => this.access.assertSeesLocked(lens, post),
    })
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
