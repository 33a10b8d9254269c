import env from '#start/env'

/**
 * The mail outbox's delivery rules (app/services/accounts/mail_outbox.ts).
 */
const outboxConfig = {
  /**
   * How long a worker's claim on an email holds without renewal. The
   * worker renews it while it sends; a worker that died stops renewing,
   * and another takes the email over once the lease has run out.
   */
  leaseSeconds: env.get('OUTBOX_LEASE_SECONDS', 10),
  /** After this many failed sends the email is marked failed for a human. */
  maxSendAttempts: 8,
  /** The domain of the Message-IDs we choose. */
  messageIdDomain: env.get('MAIL_FROM_ADDRESS').split('@')[1],
}

export default outboxConfig
