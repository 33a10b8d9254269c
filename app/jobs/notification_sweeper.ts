import WriteNotification from '#jobs/write_notification'
import { Sweep } from '#jobs/sweep'

/**
 * Queues again the notifications still owed after a sweep interval (a
 * friend request's `notified_at` NULL): the job never reached Redis, was
 * lost, or its worker died.
 */
export default class NotificationSweeper extends Sweep {
  static jobName = 'NotificationSweeper'
  protected what = { sweep: 'notification', items: 'notifications' }

  sweep(everySeconds: number) {
    return WriteNotification.redispatchOwed(everySeconds)
  }
}
