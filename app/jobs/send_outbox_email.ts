import { inject } from '@adonisjs/core'
import { UnrecoverableError } from 'bullmq'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { OutboxKind } from '#models/outbox_email'
import { RpcClient } from '#rpc/client'
import { EMAIL_METHODS, RpcError } from '#rpc/protocol'
import { afterCommit } from '#helpers/after_commit'
import { dispatchJob, QueuedJob } from '#jobs/bull_adapter'

export interface SendOutboxEmailPayload {
  userId: number
  kind: OutboxKind
  outboxId: number
}

/**
 * Error codes that no retry can fix. Not 'unknown_email': a user's email
 * not found may be one not visible yet, so Bull tries again with backoff.
 */
const PERMANENT = new Set(['unknown_user', 'invalid_params', 'gave_up'])

/**
 * Asks the email_sender RPC to send one outbox email, nothing else: the
 * RPC server owns the once-only rule. An error reply or a timeout throws,
 * so Bull retries with backoff.
 */
@inject()
export default class SendOutboxEmail extends QueuedJob<SendOutboxEmailPayload> {
  static jobName = 'SendOutboxEmail'

  constructor(private rpc: RpcClient) {
    super()
  }

  /**
   * Queues the job of an outbox email under the email's own job key, so
   * queueing it twice queues one job, and a key never meets a job of
   * another email (after a restore, ids come back; random keys do not).
   */
  static dispatch(email: { id: number; userId: number; kind: OutboxKind; jobKey: string }) {
    const payload = { outboxId: email.id, userId: email.userId, kind: email.kind }
    return dispatchJob(this, payload, { jobId: email.jobKey })
  }

  /**
   * Queues the job once the email's transaction commits; if Redis is down
   * then, it is logged and the worker's sweep queues it later.
   */
  static dispatchAfterCommit(
    trx: TransactionClientContract,
    email: { id: number; userId: number; kind: OutboxKind; jobKey: string }
  ) {
    afterCommit(trx, 'queueing an outbox email', () => this.dispatch(email))
  }

  async handle({ userId, kind, outboxId }: SendOutboxEmailPayload) {
    try {
      await this.rpc.request(EMAIL_METHODS[kind], { user_id: userId, outbox_id: outboxId })
    } catch (error) {
      if (error instanceof RpcError && PERMANENT.has(error.code)) {
        throw new UnrecoverableError(`${error.code}: ${error.message}`)
      }
      throw error
    }
  }

  /**
   * Called once Bull gives up. The email is still in the outbox: unless
   * the RPC server marked it failed, the worker's sweep queues it again.
   */
  async rescue({ userId, kind }: SendOutboxEmailPayload, error: Error) {
    this.logger.error({ userId, kind, err: error }, 'outbox email job gave up')
  }
}
