import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import User from '#models/user'
import rateLimits from '#config/rate_limits'

/**
 * Checks a username-or-email and password, counting failures per account:
 * after too many, the account refuses sign-ins for a while (429) whatever
 * the IP, which stops distributed guessing. Successes cost nothing.
 */
export async function verifySignIn(uid: string, password: string): Promise<User> {
  const key = `sign_in_${uid.trim().toLowerCase()}`
  const failures = limiter.use(rateLimits.failedSignInsPerAccount)

  let outcome: Awaited<ReturnType<typeof failures.penalize<User>>>
  try {
    outcome = await failures.penalize(key, () => User.verifyCredentials(uid, password))
  } catch (error) {
    if (error.code === 'E_INVALID_CREDENTIALS') throw error
    // The limiter's store is down: check the password without counting.
    logger.warn({ err: error }, 'sign-in limiter unavailable; attempt not counted')
    return User.verifyCredentials(uid, password)
  }

  const [throttled, user] = outcome
  if (throttled) throw throttled
  return user
}
