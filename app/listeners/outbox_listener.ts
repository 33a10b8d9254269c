import logger from '@adonisjs/core/services/logger'
import type { EmailRecordedEvent } from '#events/domain_events'
import SendOutboxEmail from '#jobs/send_outbox_email'
import { withTimeout } from '#helpers/timeout'

/**
 * Queues the job of each email the outbox records. Redis may be away: the
 * email stays owed in the outbox and the worker's sweep queues it later.
 */
export default class OutboxListener {
  async queueEmail({ emailId, userId, kind, jobKey }: EmailRecordedEvent) {
    const queueing = SendOutboxEmail.dispatch({ id: emailId, userId, kind, jobKey })
    await withTimeout(queueing, 3000, 'Redis did not answer within 3 s').catch((error) =>
      logger.warn({ err: error, emailId, kind }, 'outbox email not queued; the worker sweep will')
    )
  }
}
