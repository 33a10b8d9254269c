import { inject } from '@adonisjs/core'
import { Job } from '@rlanz/bull-queue'
import { UnrecoverableError } from 'bullmq'
import { RpcClient } from '#rpc/client'
import { RpcError } from '#rpc/protocol'

export interface SendWelcomeEmailPayload {
  userId: number
}

/** Error codes that no retry can fix. */
const PERMANENT = new Set(['unknown_user', 'invalid_params', 'gave_up'])

/**
 * Asks the email_sender RPC to send a user's welcome email, nothing else:
 * the RPC server owns the once-only rule. An error reply or a timeout
 * throws, so Bull retries with backoff.
 */
@inject()
export default class SendWelcomeEmail extends Job {
  /**
   * bull-queue stores this as the job's name. A stable name, not the file
   * URL, lets a worker run from another tree (build/ vs sources) than the
   * web process that dispatched it; app/jobs/main.ts maps it back.
   */
  static $$filepath = 'SendWelcomeEmail'

  constructor(private rpc: RpcClient) {
    super()
  }

  async handle({ userId }: SendWelcomeEmailPayload) {
    try {
      await this.rpc.request('registration', { user_id: userId })
    } catch (error) {
      if (error instanceof RpcError && PERMANENT.has(error.code)) {
        throw new UnrecoverableError(`${error.code}: ${error.message}`)
      }
      throw error
    }
  }

  /**
   * Called once Bull gives up. The intent is still in the outbox: unless the
   * RPC server marked it failed, the worker's sweep queues it again later.
   */
  async rescue({ userId }: SendWelcomeEmailPayload, error: Error) {
    this.logger.error({ userId, err: error }, 'welcome email job gave up')
  }
}
