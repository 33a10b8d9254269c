import { inject } from '@adonisjs/core'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModelQueryBuilderContract } from '@adonisjs/lucid/types/model'
import Post from '#models/post'
import Comment from '#models/comment'
import Report, { type ReportAction, type ReportTarget } from '#models/report'
import { PostService } from '#services/posts/post_service'
import { CommentService } from '#services/comments/comment_service'
import { AccountsService } from '#services/accounts/accounts_service'
import { MailOutbox } from '#services/accounts/mail_outbox'
import { primary } from '#helpers/primary'

/** How a resolution is recorded on the reports it settles. */
interface Resolution {
  action: ReportAction
  note: string | null
}

/** What resolving a report did, for the admin to read. */
export type Resolved =
  | { status: 'resolved'; report: Report; changed: boolean }
  | { status: 'already_resolved'; report: Report }
  | { status: 'not_removable'; report: Report }

const REASONS = { spam: 'spam', harassment: 'harassment', other: 'breaking the rules' }

/**
 * What moderators do (the admin commands): remove a post, suspend or
 * unsuspend an account, resolve a report with one of those. Each change
 * commits with the email it owes (once: the outbox) and with the reports
 * it settles, then has the effects of its kind at once: a removed post
 * leaves every feed and page the way a deleted one does, a suspended
 * account's sign-ins end. Reporters are never told.
 */
@inject()
export class Moderation {
  constructor(
    private posts: PostService,
    private comments: CommentService,
    private accounts: AccountsService,
    private outbox: MailOutbox
  ) {}

  /**
   * Removes a post and tells its author why: the post is deleted (its
   * reports keep its text), and the open reports about it are resolved.
   * False when there is no such post.
   */
  async removePost(postId: number, reason: string | null, report?: Report) {
    const post = await Post.find(postId, { client: primary() })
    if (!post) return false
    await this.posts.delete(post, async (trx) => {
      await this.outbox.record(trx, post.userId, 'moderation_post_removed', {
        text: post.text,
        image: Boolean(post.image),
        posted_at: post.createdAt.toUTC().toISO(),
        reason,
      })
      await this.#settle(trx, 'post', post.id, { action: 'remove', note: reason }, report)
    })
    return true
  }

  /**
   * Removes a comment (it leaves its post's page and count at once) and
   * resolves the open reports about it. False when there is no such comment.
   */
  async removeComment(commentId: number, reason: string | null, report?: Report) {
    const comment = await Comment.find(commentId, { client: primary() })
    const post = comment && (await Post.find(comment.postId, { client: primary() }))
    if (!comment || !post) return false
    return this.comments.delete(comment, post.userId, (trx) =>
      this.#settle(trx, 'comment', comment.id, { action: 'remove', note: reason }, report)
    )
  }

  /**
   * Suspends an account and resolves the open reports about it and about
   * what it wrote, all hidden with it (as Mastodon's account action does);
   * false when it already was (no second email).
   */
  suspend(userId: number, reason: string) {
    return this.accounts.suspend(userId, reason, (trx) =>
      this.#settleAbout(trx, userId, { action: 'suspend', note: reason })
    )
  }

  unsuspend(userId: number) {
    return this.accounts.unsuspend(userId)
  }

  /**
   * Resolves an open report: `dismiss` changes nothing else, `remove`
   * removes the reported post or comment, `suspend` suspends whose the reported
   * thing is. The note, if any, is the reason the author is told.
   */
  async resolve(reportId: number, action: ReportAction, note: string | null) {
    const report = await Report.find(reportId, { client: primary() })
    if (!report) return null
    if (report.status === 'resolved') return { status: 'already_resolved', report } as Resolved
    const resolution = { action, note }

    let changed = true
    if (action === 'dismiss') {
      await this.#resolveOne(report, resolution)
    } else if (action === 'remove') {
      if (report.targetType === 'user') return { status: 'not_removable', report } as Resolved
      const reason = note ?? `reported for ${REASONS[report.reason]}`
      const remove = report.targetType === 'post' ? this.removePost : this.removeComment
      changed = await remove.call(this, report.targetId, reason, report)
      // Gone already (its author deleted it): the report is settled all the same.
      if (!changed) await this.#resolveOne(report, resolution)
    } else {
      const reason = note ?? `reported for ${REASONS[report.reason]}`
      changed = await this.accounts.suspend(report.targetUserId, reason, (trx) =>
        this.#settleAbout(trx, report.targetUserId, resolution, report)
      )
    }
    await report.refresh()
    return { status: 'resolved', report, changed } as Resolved
  }

  /** The report resolved, with every other open one about the same thing. */
  #settle(
    trx: TransactionClientContract,
    type: ReportTarget,
    id: number,
    resolution: Resolution,
    report?: Report
  ) {
    return this.#resolveWhere(trx, resolution, (query) => {
      query.where((same) => same.where('targetType', type).where('targetId', id))
      if (report) query.orWhere('id', report.id)
    })
  }

  /** The report resolved, with every open one about the user or what they wrote. */
  #settleAbout(
    trx: TransactionClientContract,
    userId: number,
    resolution: Resolution,
    report?: Report
  ) {
    return this.#resolveWhere(trx, resolution, (query) => {
      query.where('targetUserId', userId)
      if (report) query.orWhere('id', report.id)
    })
  }

  /** The open reports `which` picks, resolved as `resolution` (in `trx`, or on the primary). */
  async #resolveWhere(
    trx: QueryClientContract,
    { action, note }: Resolution,
    which: (query: ModelQueryBuilderContract<typeof Report>) => void
  ) {
    await Report.query({ client: trx })
      .where('status', 'open')
      .where(which)
      .update({
        status: 'resolved',
        action,
        resolutionNote: note,
        resolvedAt: trx.knexRawQuery('UTC_TIMESTAMP()'),
        updatedAt: trx.knexRawQuery('UTC_TIMESTAMP()'),
      })
  }

  #resolveOne(report: Report, resolution: Resolution) {
    return this.#resolveWhere(primary(), resolution, (query) => query.where('id', report.id))
  }
}
