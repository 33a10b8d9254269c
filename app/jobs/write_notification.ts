import { inject } from '@adonisjs/core'
import { Job } from '@rlanz/bull-queue'
import { NotificationService, type NotificationIntent } from '#services/notification_service'
import { notificationStream } from '#services/notification_stream'

/**
 * Writes one notification, then tells the recipient's browsers. Safe to run
 * twice (Bull redelivers stalled jobs): a second run finds the row written
 * and publishes nothing.
 */
@inject()
export default class WriteNotification extends Job {
  /** The stable name app/jobs/main.ts maps back to this class. */
  static $$filepath = 'WriteNotification'

  constructor(private notifications: NotificationService) {
    super()
  }

  async handle(intent: NotificationIntent) {
    const notification = await this.notifications.record(intent)
    if (!notification) return
    const [presented] = await this.notifications.present([notification])
    await notificationStream.publish(intent.recipientId, presented ?? null)
  }

  async rescue(intent: NotificationIntent, error: Error) {
    this.logger.error({ ...intent, err: error }, 'notification job gave up')
  }
}
