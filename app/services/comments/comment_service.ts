import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import emitter from '@adonisjs/core/services/emitter'
import Comment from '#models/comment'
import { committedPost, type CommittedPost } from '#cache/post_cache'
import { PostAccess } from '#services/posts/post_access'
import { adjustCount, countedChange, lockPost, fewAtATime } from '#services/posts/post_counts'
import { pageQuery, toPage, type PageRequest } from '#helpers/page'
import { presentComments } from '#presenters/comment_presenter'
import type { Viewer } from '#presenters/post_presenter'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * Comments under posts: each is written or removed with the post's
 * `comments_count` in one transaction, then announced (caches, notifications).
 */
@inject()
export class CommentService {
  constructor(private access: PostAccess) {}

  /** A new comment under a post the user may see (else a 404). */
  async create(user: { id: number }, postId: number, text: string) {
    const post = await this.access.visiblePost(user, postId)
    let comment: Comment
    let committed: CommittedPost
    try {
      ;[comment, committed] = await fewAtATime(postId, () =>
        db.transaction(async (trx) => {
          const row = await lockPost(trx, postId)
          if (!row) throw new NotFoundException('Post')
          const created = await Comment.create({ postId, userId: user.id, text }, { client: trx })
          await adjustCount(trx, postId, 'comments_count', 1)
          const counted = {
            ...row,
            comments_count: row.comments_count + 1,
            version: row.version + 1,
          }
          return [created, committedPost(counted)] as const
        })
      )
    } catch (error) {
      // The account was deleted meanwhile.
      if (error.code === 'ER_NO_REFERENCED_ROW_2') throw new NotFoundException('Post')
      throw error
    }
    await emitter.emit('comment.created', {
      commentId: comment.id,
      postId,
      authorId: post.user_id,
      userId: user.id,
      committed,
    })
    return comment
  }

  /**
   * One page of a post's comments, newest first, without those of people a
   * block stands between with the viewer (a page may so hold fewer).
   */
  async page(viewer: Viewer, postId: number, page: PageRequest, path: string) {
    await this.access.visiblePost(viewer, postId)
    const lens = await this.access.lens(viewer)
    const rows = await pageQuery(Comment.query().where('post_id', postId), page)
    return toPage(rows, page, path, (shown) =>
      presentComments(shown.filter((comment) => lens.seesUser(comment.userId)))
    )
  }

  /**
   * The comment with its post's author (who may remove it too); a 404 when
   * either is gone or the viewer may not see the post.
   */
  async find(viewer: Viewer, commentId: number) {
    const comment = await Comment.find(commentId)
    if (!comment) throw new NotFoundException('Comment')
    const post = await this.access.visiblePost(viewer, comment.postId).catch(() => {
      throw new NotFoundException('Comment')
    })
    return { comment, postAuthorId: post.user_id }
  }

  /**
   * Deletes the comment; `alongside` writes what must commit with it (a
   * moderator's removal: the reports resolved). False when it was gone.
   */
  async delete(
    comment: Comment,
    postAuthorId: number,
    alongside?: (trx: TransactionClientContract) => Promise<unknown>
  ) {
    const committed = await countedChange(comment.postId, 'comments_count', -1, async (trx) => {
      const [result] = await trx.rawQuery('DELETE FROM comments WHERE id = ?', [comment.id])
      if (result.affectedRows !== 1) return false
      await alongside?.(trx)
      return true
    })
    if (committed) {
      await emitter.emit('comment.deleted', {
        commentId: comment.id,
        postId: comment.postId,
        authorId: postAuthorId,
        userId: comment.userId,
        committed,
      })
    }
    return committed !== null
  }
}
