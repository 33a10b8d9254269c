import { inject } from '@adonisjs/core'
import { Logger } from '@adonisjs/core/logger'
import WriteNotification from '#jobs/write_notification'
import { PeriodicSweep } from '#jobs/periodic_sweep'

/**
 * Queues again the notifications still owed after a sweep interval (a
 * friend request's `notified_at` NULL): the job never reached Redis, was
 * lost, or its worker died.
 */
@inject()
export class NotificationSweeper extends PeriodicSweep {
  protected what = { sweep: 'notification', items: 'notifications' }

  constructor(protected logger: Logger) {
    super()
  }

  protected pass(everySeconds: number) {
    return WriteNotification.redispatchOwed(everySeconds)
  }
}
