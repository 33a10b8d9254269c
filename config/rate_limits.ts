/**
 * How much abuse the sign-in and registration endpoints tolerate.
 * SECURITY.md explains the choices.
 */
const rateLimitsConfig = {
  /** Accounts created from one IP address. */
  registrationsPerIp: { requests: 20, duration: '1 hour' },
  /** Sign-in attempts from one IP address, whatever the account (Mastodon: 25 per 5 minutes). */
  signInsPerIp: { requests: 25, duration: '5 minutes', blockDuration: '5 minutes' },
  /** Failed sign-ins for one account, from anywhere. */
  /** Confirmation emails asked for by one account (Mastodon: 5 per 30 minutes). */
  confirmationEmailsPerAccount: { requests: 5, duration: '30 minutes' },
  /** Password reset emails sent to one account, however its address was spelled, whoever asks. */
  passwordResetsPerAccount: { requests: 5, duration: '30 minutes' },
  /** Password reset requests from one IP address, whatever the address. */
  passwordResetsPerIp: { requests: 20, duration: '30 minutes' },
  failedSignInsPerAccount: { requests: 10, duration: '15 minutes', blockDuration: '15 minutes' },
  /** Friend requests sent by one account: a burst of 20, and 100 a day in all. */
  friendRequestsBurst: { requests: 20, duration: '10 minutes' },
  friendRequestsPerDay: { requests: 100, duration: '1 day' },
  /** What one account may publish (Mastodon's defaults: 300 statuses per 3 hours, 30 media per 30 minutes). */
  postsPerAccount: { requests: 300, duration: '3 hours' },
  /** Comments one account may write (as many as posts). */
  commentsPerAccount: { requests: 300, duration: '3 hours' },
  /** Likes and unlikes by one account. */
  likesPerAccount: { requests: 1000, duration: '1 hour' },
  /** Profile pictures and post images together, counted before they are decoded. */
  picturesPerAccount: { requests: 30, duration: '30 minutes' },
  /** Reports sent to the moderators by one account. */
  reportsPerAccount: { requests: 20, duration: '1 day' },
}

export default rateLimitsConfig
