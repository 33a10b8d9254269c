import { configProvider } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Session } from '@adonisjs/session'
import type { ResolvedSessionConfig } from '@adonisjs/session/types'

let config: Promise<ResolvedSessionConfig> | undefined
const sessionConfig = () =>
  (config ??= configProvider
    .resolve<ResolvedSessionConfig>(app, app.config.get('session'))
    .then((resolved) => resolved!))

/**
 * The session, read and never written, for requests that only need to know
 * who is signed in: the live stream, its subscriptions and the badge's
 * catch-up. A page's script sends them beside the page's own form posts; a
 * read-write session would take the flash message a post has just stored
 * for its redirect ("You are now friends"), and a stream closing minutes
 * later would write the session back as it was when it opened.
 */
export default class ReadonlySessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const resolved = await sessionConfig()
    ctx.session = new Session(resolved, resolved.stores[resolved.store], emitter, ctx)
    await ctx.session.initiate(true)
    try {
      return await next()
    } catch (error) {
      // Only a page may start a session again (from a remember-me cookie) or
      // mint its CSRF secret.
      if (error?.code === 'E_SESSION_NOT_MUTABLE') {
        return ctx.response.unauthorized({
          errors: [{ message: 'Your session has ended: reload the page to sign in again' }],
        })
      }
      throw error
    }
  }
}
