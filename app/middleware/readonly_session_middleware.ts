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
 * The session, read and never saved, for requests that only need to know
 * who is signed in: the live stream, its subscriptions and the badge's
 * catch-up. A page's script sends them beside the page's own form posts; a
 * saved session would take the flash message a post has just stored for
 * its redirect ("You are now friends"), and a stream closing minutes later
 * would write the session back as it was when it opened.
 *
 * It is writable in memory: what the libraries write on the way to a
 * refusal (shield's CSRF secret for a visitor who has none, the flash
 * message of a failed CSRF or sign-in check) is dropped with the request
 * instead of failing it with a 500.
 */
export default class ReadonlySessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const resolved = await sessionConfig()
    ctx.session = new Session(resolved, resolved.stores[resolved.store], emitter, ctx)
    await ctx.session.initiate(false)
    return next()
  }
}
