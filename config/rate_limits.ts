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
  failedSignInsPerAccount: { requests: 10, duration: '15 minutes', blockDuration: '15 minutes' },
}

export default rateLimitsConfig
