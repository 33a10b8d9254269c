import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import queueManager from '@rlanz/bull-queue/services/main'
import { defaultQueue } from '#services/job_queue'
import WelcomeEmail from '#models/welcome_email'
import welcomeConfig from '#config/welcome'
import { randomUUID } from 'node:crypto'
import SendWelcomeEmail from '#jobs/send_welcome_email'

const { staleClaimSeconds, maxSendAttempts, messageIdDomain } = welcomeConfig

export type Claim =
  | { status: 'claimed'; intent: WelcomeEmail }
  | { status: 'sent'; messageId: string | null }
  | { status: 'busy' | 'failed' | 'missing' }

/**
 * The welcome-email outbox: every state change of an intent goes through
 * here, with conditional UPDATEs so that two workers never both send.
 */
export class WelcomeOutbox {
  /**
   * Queues the job for an intent. The job id is derived from the user, so
   * dispatching twice (the hook, then the sweep) queues one job; a job that
   * exhausted its retries is retried instead.
   */
  static async dispatch(userId: number, options: { force?: boolean } = {}) {
    const jobId = options.force ? `welcome-${userId}-${Date.now()}` : `welcome-${userId}`
    const queue = await defaultQueue()
    const existing = await queue.getJob(jobId)
    if (existing && (await existing.isFailed())) {
      await existing.retry()
      return
    }
    await queueManager.dispatch(SendWelcomeEmail, { userId }, { jobId })
  }

  /**
   * Dispatch after the user's transaction commits; a failure (Redis down)
   * is logged, and the sweep delivers the intent later.
   */
  static dispatchAfterCommit(userId: number) {
    const dispatching = this.dispatch(userId)
      .catch((error) => {
        logger.warn({ err: error, userId }, 'welcome email not queued; the worker sweep will retry')
      })
      .finally(() => this.#dispatching.delete(dispatching))
    this.#dispatching.add(dispatching)
  }

  static #dispatching = new Set<Promise<void>>()

  /**
   * Resolves once the after-commit dispatches under way are done, for a
   * short-lived process (an ace command) that must not exit before them.
   */
  static async settled() {
    await Promise.allSettled(this.#dispatching)
  }

  /**
   * Takes an intent for sending: pending, or claimed so long ago that its
   * worker must have died. The Message-ID is chosen by the first claim and
   * kept by every later one: if a worker dies between the SMTP server's
   * "accepted" and our "sent", the second send carries the same Message-ID,
   * which mail providers collapse into one message.
   */
  static async claim(userId: number): Promise<Claim> {
    const messageId = `<welcome.${userId}.${randomUUID()}@${messageIdDomain}>`
    const [result] = await db.rawQuery(
      `UPDATE welcome_emails
          SET state = 'sending', attempts = attempts + 1, claimed_at = UTC_TIMESTAMP(),
              message_id = COALESCE(message_id, ?), updated_at = UTC_TIMESTAMP()
        WHERE user_id = ?
          AND (state = 'pending' OR (state = 'sending' AND claimed_at < UTC_TIMESTAMP() - INTERVAL ? SECOND))`,
      [messageId, userId, staleClaimSeconds]
    )
    const intent = await WelcomeEmail.findBy('userId', userId)
    if (!intent) return { status: 'missing' }
    if (result.affectedRows === 1) return { status: 'claimed', intent }
    if (intent.state === 'sent') return { status: 'sent', messageId: intent.messageId }
    return { status: intent.state === 'failed' ? 'failed' : 'busy' }
  }

  /** Records the send on the intent and in the history of sends. */
  static async markSent(intent: WelcomeEmail) {
    const sentAt = DateTime.utc()
    await db.transaction(async (trx) => {
      intent.useTransaction(trx)
      intent.merge({ state: 'sent', sentAt, lastError: null })
      await intent.save()
      await trx.table('welcome_email_sends').insert({
        user_id: intent.userId,
        message_id: intent.messageId,
        sent_at: sentAt.toSQL({ includeOffset: false }),
      })
    })
  }

  /** Every send of a user's welcome email, oldest first. */
  static sends(userId: number): Promise<{ message_id: string; sent_at: Date }[]> {
    return db
      .from('welcome_email_sends')
      .select('message_id', 'sent_at')
      .where('user_id', userId)
      .orderBy('id')
  }

  /** Hands the intent back for a retry, or gives up after too many tries. */
  static async markFailed(intent: WelcomeEmail, error: Error) {
    intent.merge({
      state: intent.attempts >= maxSendAttempts ? 'failed' : 'pending',
      lastError: error.message.slice(0, 1000),
      claimedAt: null,
    })
    await intent.save()
  }

  /**
   * Makes an intent sendable again (admin resend). A forced resend of an
   * email that went out is a new message: it drops the Message-ID so the
   * next claim picks its own (receivers drop a repeated one as a duplicate).
   */
  static async reset(userId: number, options: { force?: boolean } = {}) {
    const states = options.force ? ['pending', 'failed', 'sent'] : ['pending', 'failed']
    return WelcomeEmail.query()
      .where('userId', userId)
      .whereIn('state', states)
      .update({
        state: 'pending',
        attempts: 0,
        lastError: null,
        claimedAt: null,
        updatedAt: new Date(),
        ...(options.force ? { messageId: null } : {}),
      })
  }

  /**
   * User ids whose intent waited longer than `olderThanSeconds` without
   * being sent, or whose claim went stale: what the sweep re-dispatches.
   */
  static async undelivered(olderThanSeconds: number, limit = 500): Promise<number[]> {
    const rows = await db
      .from('welcome_emails')
      .select('user_id')
      .where((query) => {
        query
          .where('state', 'pending')
          .whereRaw('updated_at < UTC_TIMESTAMP() - INTERVAL ? SECOND', [olderThanSeconds])
      })
      .orWhere((query) => {
        query
          .where('state', 'sending')
          .whereRaw('claimed_at < UTC_TIMESTAMP() - INTERVAL ? SECOND', [staleClaimSeconds])
      })
      .orderBy('id')
      .limit(limit)
    return rows.map((row) => row.user_id)
  }
}
