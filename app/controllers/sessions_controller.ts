import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#validators/user'
import { SignIn } from '#services/sessions/sign_in'
import { WebSessions } from '#services/sessions/web_sessions'
import SuspendedException from '#exceptions/suspended_exception'
import { pageAfterSignIn } from '#helpers/return_to'

/**
 * Browser sign-in and sign-out with the session guard.
 */
export default class SessionsController {
  create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  @inject()
  async store(ctx: HttpContext, signIn: SignIn, webSessions: WebSessions) {
    const { request, session, response } = ctx
    const { uid, password } = await request.validateUsing(loginValidator)
    const user = await signIn.verify(uid, password).catch((error) => {
      if (error instanceof SuspendedException) return null
      throw error
    })
    // A page of its own, not the form again: the right password will not help until it is lifted.
    if (!user) return response.forbidden(await ctx.view.render('pages/auth/suspended'))

    const returnTo = pageAfterSignIn(ctx)
    // A new session id, so a planted id is worthless.
    await webSessions.signIn(ctx, user)
    session.flash('success', `Signed in as ${user.username}`)
    // The page they were sent here from, or the feed, which a returning member comes for.
    return returnTo ? response.redirect().toPath(returnTo) : response.redirect().toRoute('feed')
  }

  @inject()
  async destroy(ctx: HttpContext, webSessions: WebSessions) {
    const { session, response } = ctx
    await webSessions.signOut(ctx)
    session.flash('success', 'You are signed out')
    return response.redirect().toRoute('home')
  }
}
