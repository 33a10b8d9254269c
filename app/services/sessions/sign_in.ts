import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { errors as authErrors } from '@adonisjs/auth'
import User from '#models/user'
import { inject } from '@adonisjs/core'
import { ReadRouting } from '#services/database/read_routing'
import rateLimits from '#config/rate_limits'
import { tooManyAttempts } from '#start/limiter'
import SuspendedException from '#exceptions/suspended_exception'

/**
 * The lock's key: the account when the identifier names one, so every
 * spelling the database matches (accents, case, the email) shares one
 * count; otherwise a canonical form of what was typed.
 */
function lockKey(uid: string, user: User | null) {
  if (user) return `sign_in_user_${user.id}`
  const canonical = uid.normalize('NFKD').replace(/\p{M}/gu, '').trim().toLowerCase()
  return `sign_in_unknown_${canonical}`
}

/** Wrong credentials leave the client unauthenticated: 401 (a form shows the message). */
function invalidCredentials() {
  const error = new authErrors.E_INVALID_CREDENTIALS('The username, email or password is not right')
  error.status = 401
  return error
}

/**
 * Checks a username-or-email and password, counting attempts per account:
 * after too many failures the account refuses sign-ins for a while (429)
 * whatever the IP, which stops distributed guessing.
 *
 * The attempt is consumed before the password is checked, atomically in
 * the limiter's store, so parallel requests cannot all slip under the
 * limit; a right password gives its attempt back. Unknown users still cost
 * one hash, so timing does not reveal which accounts exist.
 */
@inject()
export class SignIn {
  constructor(private readRouting: ReadRouting) {}

  async verify(uid: string, password: string): Promise<User> {
    const user = await User.findForAuth(uid)
    const key = lockKey(uid, user)
    const attempts = limiter.use(rateLimits.failedSignInsPerAccount)

    let counted = true
    try {
      await attempts.consume(key)
    } catch (error) {
      if (error.code === 'E_TOO_MANY_REQUESTS') throw tooManyAttempts(error)
      // The limiter's store is down: check the password without counting.
      logger.warn({ err: error }, 'sign-in limiter unavailable; attempt not counted')
      counted = false
    }

    if (!user) {
      await hash.make(password)
    } else if (await user.verifyPassword(password)) {
      await this.readRouting.actingFor(user.id)
      if (counted) {
        await attempts.decrement(key).catch((error) => {
          logger.warn({ err: error }, 'sign-in limiter unavailable; attempt not refunded')
        })
      }
      // Told only to whoever knows the password.
      if (user.suspendedAt) throw new SuspendedException()
      return user
    }
    throw invalidCredentials()
  }

  /**
   * An access token for the user `verify` returned, unless their password
   * changed since it was checked: a sign-in racing a password change must
   * not outlive it. The hash is read after the token is written, under a
   * shared lock on the user's row. A change that deleted the user's tokens
   * before this one existed had already updated that row: it has committed
   * (the new hash is read) or still holds the row (the read waits for it).
   * A change that comes later deletes this token itself. A suspension
   * updates that row too, and is refused the same way.
   */
  async issueToken(user: User) {
    const token = await User.accessTokens.create(user).catch((error) => {
      // The account was deleted since the check.
      if (error.code === 'ER_NO_REFERENCED_ROW_2') throw invalidCredentials()
      throw error
    })
    const current = await db
      .query({ mode: 'write' })
      .from(User.table)
      .where('id', user.id)
      .forShare()
      .select('password', 'suspended_at')
      .first()
    if (current?.password !== user.password || current?.suspended_at) {
      await User.accessTokens.delete(user, token.identifier)
      throw current?.suspended_at ? new SuspendedException() : invalidCredentials()
    }
    return token
  }
}
