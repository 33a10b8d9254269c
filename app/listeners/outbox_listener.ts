import type { EmailRecordedEvent } from '#events/domain_events'
import SendOutboxEmail from '#jobs/send_outbox_email'

/**
 * Queues the job of each email the outbox records. Redis may be away (the
 * dispatch gives up within a second): the email stays owed in the outbox
 * and the worker's sweep queues it later.
 */
export default class OutboxListener {
  async queueEmail({ emailId, userId, kind, jobKey }: EmailRecordedEvent) {
    await SendOutboxEmail.dispatch({ id: emailId, userId, kind, jobKey })
  }
}
