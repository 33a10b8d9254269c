import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import User from '#models/user'
import rateLimits from '#config/rate_limits'
import { tooManyAttempts } from '#start/limiter'

/**
 * Checks a username-or-email and password, counting failures per account:
 * after too many, the account refuses sign-ins for a while (429) whatever
 * the IP, which stops distributed guessing. Successes cost nothing.
 */
export class SignIn {
  async verify(uid: string, password: string): Promise<User> {
    const key = `sign_in_${uid.trim().toLowerCase()}`
    const failures = limiter.use(rateLimits.failedSignInsPerAccount)

    let outcome: Awaited<ReturnType<typeof failures.penalize<User>>>
    try {
      outcome = await failures.penalize(key, () => this.#check(uid, password))
    } catch (error) {
      if (error.code === 'E_INVALID_CREDENTIALS') throw error
      // The limiter's store is down: check the password without counting.
      logger.warn({ err: error }, 'sign-in limiter unavailable; attempt not counted')
      return this.#check(uid, password)
    }

    const [throttled, user] = outcome
    if (throttled) throw tooManyAttempts(throttled)
    return user
  }

  /** Wrong credentials leave the client unauthenticated: 401 (a form shows the message). */
  async #check(uid: string, password: string) {
    try {
      return await User.verifyCredentials(uid, password)
    } catch (error) {
      if (error.code === 'E_INVALID_CREDENTIALS') error.status = 401
      throw error
    }
  }
}
