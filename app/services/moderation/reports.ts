import { retried } from '#helpers/retried'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { errors as vineErrors } from '@vinejs/vine'
import Report, { type ReportReason, type ReportTarget } from '#models/report'
import NotFoundException from '#exceptions/not_found_exception'
import { PostCache } from '#cache/post_cache'
import { Visibility } from '#services/safety/visibility'
import { CommentService } from '#services/comments/comment_service'
import { presentPost, type Viewer } from '#presenters/post_presenter'

export interface NewReport {
  target: { type: ReportTarget; id: number }
  reason: ReportReason
  note?: string | null
}

const NAMES: Record<ReportTarget, string> = { post: 'Post', comment: 'Comment', user: 'User' }

/**
 * People reporting what they see to the moderators. A report names
 * something the reporter can see (anything else answers 404, as if it did
 * not exist) and keeps its text as it was, for the moderator who reads it
 * after the content changed or went. The reporter is never told the outcome.
 * One reporter has one open report of a thing at a time.
 */
@inject()
export class Reports {
  constructor(
    private posts: PostCache,
    private visibility: Visibility,
    private comments: CommentService
  ) {}

  async create(reporter: { id: number }, { target, reason, note }: NewReport) {
    const found = await this.#find(target, reporter)
    if (!found) throw new NotFoundException(NAMES[target.type])
    if (found.userId === reporter.id) {
      throw new vineErrors.E_VALIDATION_ERROR([
        {
          message: 'You cannot report yourself or what you wrote',
          field: `${target.type}_id`,
          rule: 'notSelf',
        },
      ])
    }
    // Reporting it again while the first report is open adds to that one (the
    // latest reason and words): one entry for the moderators, not one per try.
    // A reporter's reports are written one at a time (their row locked first,
    // the open report read after it): two sent at once cannot both find none
    // open and both add one. Run again after a lock conflict (the target's
    // row, which the new report's foreign key reads, held by a change
    // between two people).
    return retried(() =>
      db.transaction(async (trx) => {
        await trx.from('users').where('id', reporter.id).forUpdate().select('id')
        const open = await Report.query({ client: trx })
          .where({ targetType: target.type, targetId: target.id, reporterId: reporter.id })
          .where('status', 'open')
          .first()
        if (open) {
          open.merge({ reason, note: note ?? open.note, targetText: found.text })
          return open.save()
        }
        return Report.create(
          {
            reporterId: reporter.id,
            targetType: target.type,
            targetId: target.id,
            targetUserId: found.userId,
            targetText: found.text,
            reason,
            note: note ?? null,
            status: 'open',
          },
          { client: trx }
        )
      })
    )
  }

  /** Whose the target is and its text, when the viewer can see it. */
  async #find({ type, id }: NewReport['target'], viewer: Viewer) {
    if (type === 'post') {
      const data = await this.posts.get(id)
      const post = data && (await presentPost(data, viewer))
      return post && { userId: post.author.id, text: post.text }
    }
    if (type === 'comment') {
      // A comment under a post the viewer cannot see, or by someone hidden from them, is not there.
      const found = await this.comments.find(viewer, id).catch((error) => {
        if (error instanceof NotFoundException) return null
        throw error
      })
      const author = found && (await this.visibility.user(viewer, found.comment.userId))
      return author && { userId: author.id, text: found.comment.text }
    }
    const user = await this.visibility.user(viewer, id)
    return user && { userId: user.id, text: null }
  }
}
