import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticator } from '@adonisjs/auth'
import type { Authenticators, GuardFactory } from '@adonisjs/auth/types'
import { wantsJson } from '#helpers/request'

/**
 * @adonisjs/auth's initialize middleware, except that it shares `auth`
 * with Edge only on pages: touching `ctx.view` creates a template renderer,
 * which a JSON request would build for nothing on every call.
 */
export default class InitializeAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const auth = await ctx.containerResolver.make('auth.manager')
    ctx.auth = auth.createAuthenticator(ctx)
    if (!wantsJson(ctx)) {
      ctx.view.share({ auth: ctx.auth })
    }
    return next()
  }
}

/* The package's middleware declares `ctx.auth`; this one replaces it. */
declare module '@adonisjs/core/http' {
  interface HttpContext {
    auth: Authenticator<
      Authenticators extends Record<string, GuardFactory> ? Authenticators : never
    >
  }
}
