import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { dispatchJob, QueuedJob, redispatch } from '#jobs/bull_adapter'
import {
  NotificationService,
  type NotificationIntent,
} from '#services/notifications/notification_service'
import { NotificationOutbox } from '#services/notifications/notification_outbox'
import { NotificationStream } from '#services/notifications/notification_stream'

/**
 * Writes one notification, then tells the recipient's browsers. Safe to run
 * twice (Bull redelivers stalled jobs): a second run finds the row written
 * and publishes nothing.
 */
@inject()
export default class WriteNotification extends QueuedJob<NotificationIntent> {
  static jobName = 'WriteNotification'

  constructor(
    private notifications: NotificationService,
    private outbox: NotificationOutbox,
    private stream: NotificationStream
  ) {
    super()
  }

  /**
   * Queues the job under an id derived from the event, so queueing it twice
   * is one job; never from an auto-increment id alone, which comes back
   * after a restore and would meet a finished job Redis still keeps.
   */
  static jobId(intent: NotificationIntent) {
    const post = intent.postId ? `-post${intent.postId}` : ''
    return `notification-${intent.type}-${intent.recipientId}-${intent.actorId}${post}-${intent.at}`
  }

  static dispatch(intent: NotificationIntent) {
    return dispatchJob(this, intent, { jobId: this.jobId(intent) })
  }

  /** Queues again the notifications still owed after `olderThanSeconds` (NotificationOutbox). */
  static async redispatchOwed(olderThanSeconds: number) {
    let dispatched = 0
    const outbox = await app.container.make(NotificationOutbox)
    for (const intent of await outbox.owed(olderThanSeconds)) {
      if (await redispatch(this, intent, this.jobId(intent))) dispatched++
    }
    return dispatched
  }

  async handle(intent: NotificationIntent) {
    // Accepted: the request the receiver was told about is dealt with.
    if (intent.type === 'friend_accepted') {
      const settled = await this.notifications.markRequestRead(intent.actorId, intent.recipientId)
      if (settled) await this.stream.publish(intent.actorId)
    }
    const notification = await this.notifications.record(intent)
    // Written (or nothing to write): the live message below is a courtesy.
    await this.outbox.markDone(intent)
    if (notification) await this.stream.tell([notification])
  }

  async rescue(intent: NotificationIntent, error: Error) {
    this.logger.error({ ...intent, err: error }, 'notification job gave up')
  }
}
