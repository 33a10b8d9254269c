import { randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import OutboxEmail, { KINDS_WRITTEN_BY_THEIR_ACT, type OutboxKind } from '#models/outbox_email'
import { afterCommit } from '#helpers/after_commit'
import { primary } from '#helpers/primary'
import outboxConfig from '#config/outbox'

const { leaseSeconds, maxSendAttempts, messageIdDomain } = outboxConfig

export type Claim =
  | { status: 'claimed'; email: OutboxEmail }
  | { status: 'sent'; messageId: string | null }
  | { status: 'busy' | 'failed' | 'missing' }

/** Which email: the user's latest of a kind, or one row by id. */
export interface OutboxTarget {
  userId: number
  kind: OutboxKind
  emailId?: number
}

/**
 * The mail outbox's state, and nothing else: every change of an email's
 * state goes through here, with conditional UPDATEs so that two workers
 * never both send. Queueing the job is not done here: `record` and
 * `resend` announce the email ('email.recorded'), and the job side
 * (app/jobs/send_outbox_email.ts) queues it.
 */
export class MailOutbox {
  /**
   * Records an email owed to a user inside the caller's transaction; once
   * it commits, the email is on its way, and sent once.
   */
  async record(
    trx: TransactionClientContract,
    userId: number,
    kind: OutboxKind,
    payload: Record<string, unknown> = {}
  ) {
    const email = await OutboxEmail.record(trx, userId, kind, payload)
    afterCommit(trx, 'announcing an outbox email', () => this.#announce(email))
    return email
  }

  /** Read from the primary: what it finds decides the claim (and its refresh reads there too). */
  find({ userId, kind, emailId }: OutboxTarget) {
    const query = OutboxEmail.query({ client: primary() })
      .where('userId', userId)
      .where('kind', kind)
    if (emailId !== undefined) query.where('id', emailId)
    return query.orderBy('id', 'desc').first()
  }

  /**
   * Takes an email for sending: pending, or claimed by a worker whose
   * lease ran out (it died). The Message-ID is chosen by the first claim
   * and kept by every later one: if a worker dies between the SMTP
   * server's "accepted" and our "sent", the second send carries the same
   * Message-ID, which mail providers collapse into one message.
   */
  async claim(target: OutboxTarget): Promise<Claim> {
    const email = await this.find(target)
    if (!email) return { status: 'missing' }
    const messageId = `<${email.kind}.${email.id}.${randomUUID()}@${messageIdDomain}>`
    const [result] = await primary().rawQuery(
      `UPDATE outbox_emails
          SET state = 'sending', attempts = attempts + 1,
              lease_until = UTC_TIMESTAMP() + INTERVAL ? SECOND,
              message_id = COALESCE(message_id, ?), updated_at = UTC_TIMESTAMP()
        WHERE id = ?
          AND (state = 'pending' OR (state = 'sending' AND lease_until < UTC_TIMESTAMP()))`,
      [leaseSeconds, messageId, email.id]
    )
    if (result.affectedRows === 1) {
      // What the UPDATE wrote, kept as the row's state without reading it back.
      email.merge({
        state: 'sending',
        attempts: email.attempts + 1,
        messageId: email.messageId ?? messageId,
        leaseUntil: DateTime.utc().plus({ seconds: leaseSeconds }),
      })
      email.$hydrateOriginals()
      return { status: 'claimed', email }
    }
    await email.refresh()
    if (email.state === 'sent') return { status: 'sent', messageId: email.messageId }
    return { status: email.state === 'failed' ? 'failed' : 'busy' }
  }

  /** Extends the lease of a claim still held (same attempt), while the send runs. */
  async renewLease(email: OutboxEmail) {
    await primary().rawQuery(
      `UPDATE outbox_emails SET lease_until = UTC_TIMESTAMP() + INTERVAL ? SECOND
        WHERE id = ? AND state = 'sending' AND attempts = ?`,
      [leaseSeconds, email.id, email.attempts]
    )
  }

  /** How often a sending worker renews its lease. */
  get renewEveryMs() {
    return (leaseSeconds * 1000) / 3
  }

  async markSent(email: OutboxEmail) {
    email.merge({ state: 'sent', sentAt: DateTime.utc(), lastError: null, leaseUntil: null })
    await email.save()
  }

  /** Hands the email back for a retry, or gives up after too many tries. */
  async markFailed(email: OutboxEmail, error: Error) {
    email.merge({
      state: email.attempts >= maxSendAttempts ? 'failed' : 'pending',
      lastError: error.message.slice(0, 1000),
      leaseUntil: null,
    })
    await email.save()
  }

  /**
   * Makes a user's latest email of a kind sendable again (admin resend),
   * or records one if there is none (`none` for a kind that tells of an
   * act, KINDS_WRITTEN_BY_THEIR_ACT: only the act writes one). A sent
   * email is sent again only when forced, and then as a new message: a
   * row of its own, so it gets its own Message-ID (receivers drop a
   * repeated one as a duplicate) and the sent row stays as history. One
   * being sent is left alone.
   */
  async resend(userId: number, kind: OutboxKind, { force = false } = {}) {
    const email = await this.find({ userId, kind })
    if (!email) {
      if (KINDS_WRITTEN_BY_THEIR_ACT.includes(kind)) return { status: 'none' as const }
      await this.#announce(await OutboxEmail.record(db.connection(), userId, kind))
      return { status: 'queued' as const }
    }
    if (email.state === 'sending') return { status: 'sending' as const }
    if (email.state === 'sent' && !force) return { status: 'sent' as const, sentAt: email.sentAt }
    if (email.state === 'sent') {
      const again = await OutboxEmail.record(db.connection(), userId, kind, email.payload ?? {})
      await this.#announce(again)
      return { status: 'queued' as const }
    }

    email.merge({ state: 'pending', attempts: 0, lastError: null, leaseUntil: null })
    email.jobKey = randomUUID()
    await email.save()
    await this.#announce(email)
    return { status: 'queued' as const }
  }

  /**
   * Emails not sent yet that need a job again: pending for longer than
   * `olderThanSeconds` (the job never reached Redis, or was lost), or
   * claimed by a worker whose lease ran out. What the sweep looks at.
   */
  undelivered(olderThanSeconds: number, limit = 500) {
    return OutboxEmail.query()
      .where((query) => {
        query
          .where('state', 'pending')
          .whereRaw('updated_at < UTC_TIMESTAMP() - INTERVAL ? SECOND', [olderThanSeconds])
      })
      .orWhere((query) => {
        query.where('state', 'sending').whereRaw('lease_until < UTC_TIMESTAMP()')
      })
      .orderBy('id')
      .limit(limit)
  }

  /**
   * Gives an email a new job key, unless another process did first:
   * returns whether this caller should queue the job for it.
   */
  async renewJobKey(email: OutboxEmail) {
    const jobKey = randomUUID()
    const updated = await OutboxEmail.query()
      .where('id', email.id)
      .where('jobKey', email.jobKey)
      .update({ jobKey })
    if (Number(updated[0] ?? updated) !== 1) return false
    email.jobKey = jobKey
    return true
  }

  #announce(email: OutboxEmail) {
    const { id: emailId, userId, kind, jobKey } = email
    return emitter.emit('email.recorded', { emailId, userId, kind, jobKey })
  }
}
