import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { errors as authErrors } from '@adonisjs/auth'
import { wantsJson } from '#helpers/request'
import { rememberPageForSignIn } from '#helpers/return_to'

/**
 * Auth middleware is used authenticate HTTP requests and deny
 * access to unauthenticated users.
 */
export default class AuthMiddleware {
  /**
   * The URL to redirect to, when authentication fails
   */
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: {
      guards?: (keyof Authenticators)[]
    } = {}
  ) {
    try {
      await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    } catch (error) {
      // A page asked for while signed out (answered with the sign-in
      // form, as the guard does for a browser): the form says why, and leads back to it.
      if (
        error instanceof authErrors.E_UNAUTHORIZED_ACCESS &&
        ctx.request.method() === 'GET' &&
        !wantsJson(ctx) &&
        ctx.request.accepts(['html', 'json']) !== 'json'
      ) {
        rememberPageForSignIn(ctx)
      }
      throw error
    }
    return next()
  }
}
