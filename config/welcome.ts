import env from '#start/env'

/**
 * The welcome email's delivery rules (app/services/welcome_outbox.ts).
 */
const welcomeConfig = {
  /**
   * A claim older than this is taken to be from a worker that died, and
   * another worker sends the email. Longer than any send can take.
   */
  staleClaimSeconds: env.get('WELCOME_STALE_CLAIM_SECONDS', 120),
  /** After this many failed sends the intent is marked failed for a human. */
  maxSendAttempts: 8,
  /** The domain of the Message-IDs we choose. */
  messageIdDomain: env.get('MAIL_FROM_ADDRESS').split('@')[1],
}

export default welcomeConfig
