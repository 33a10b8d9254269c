import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import EmailUnverifiedException from '#exceptions/email_unverified_exception'

/**
 * For routes that need a confirmed email (posting, friend requests); runs
 * after `auth`.
 */
export default class VerifiedEmailMiddleware {
  async handle({ auth }: HttpContext, next: NextFn) {
    if (!auth.getUserOrFail().emailVerified) throw new EmailUnverifiedException()
    return next()
  }
}
