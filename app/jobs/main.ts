/**
 * The jobs the worker runs, by the stable name each job class declares as
 * its `jobName`. A name not listed here fails the job visibly instead of
 * letting it pass as completed.
 */
export const jobs = {
  SendOutboxEmail: () => import('#jobs/send_outbox_email'),
  DeleteAccountFiles: () => import('#jobs/delete_account_files'),
  WriteNotification: () => import('#jobs/write_notification'),
  ExpireFriendRequests: () => import('#jobs/expire_friend_requests'),
  FanOutPosts: () => import('#jobs/fan_out_posts'),
  NotifyLikes: () => import('#jobs/notify_likes'),
  WithdrawPost: () => import('#jobs/withdraw_post'),
  OutboxSweeper: () => import('#jobs/outbox_sweeper'),
  FanOutSweeper: () => import('#jobs/fan_out_sweeper'),
  NotificationSweeper: () => import('#jobs/notification_sweeper'),
} as const
