import { inject } from '@adonisjs/core'
import type OutboxEmail from '#models/outbox_email'
import { MailOutbox } from '#services/accounts/mail_outbox'
import { willRunByItself } from '#jobs/bull_adapter'
import SendOutboxEmail from '#jobs/send_outbox_email'
import { Sweep } from '#jobs/sweep'

/**
 * Queues again the outbox emails that are owed but have no job that will
 * deliver them: the job never reached Redis (it was down at commit), was
 * lost or gave up, or the worker holding the claim died (its lease ran
 * out). The outbox, not Redis, is the source of truth.
 */
@inject()
export default class OutboxSweeper extends Sweep {
  static jobName = 'OutboxSweeper'
  protected what = { sweep: 'outbox', items: 'emails' }

  constructor(private outbox: MailOutbox) {
    super()
  }

  /** One pass; returns how many emails were queued again. A pending email may wait `everySeconds`. */
  async sweep(everySeconds: number) {
    let queued = 0
    for (const email of await this.outbox.undelivered(everySeconds)) {
      if (await this.#requeue(email)) queued++
    }
    return queued
  }

  /**
   * A job still waiting to run is left alone. Otherwise (none, finished,
   * failed, or active in a worker that never got the email out in time,
   * likely dead) the email gets a new job key and a new job: whatever Redis
   * holds under the old key, the new one runs, and the claim keeps a
   * second job from sending twice.
   */
  async #requeue(email: OutboxEmail) {
    if (await willRunByItself(email.jobKey)) return false
    if (!(await this.outbox.renewJobKey(email))) return false
    await SendOutboxEmail.dispatch(email)
    return true
  }
}
