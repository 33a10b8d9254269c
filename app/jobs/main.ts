/**
 * The jobs the worker runs, by the stable name each job class declares as
 * its `$$filepath`. A name not listed here fails the job visibly instead of
 * letting it pass as completed.
 */
export const jobs = {
  SendWelcomeEmail: () => import('#jobs/send_welcome_email'),
  FanOutPost: () => import('#jobs/fan_out_post'),
  WithdrawPost: () => import('#jobs/withdraw_post'),
} as const
