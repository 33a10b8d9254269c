import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { registerValidator } from '#validators/user'
import { wantsJson } from '#helpers/request'
import { WebSessions } from '#services/sessions/web_sessions'
import { ReadRouting } from '#services/database/read_routing'
import { Registration } from '#services/accounts/registration'
import { ownUserData } from '#presenters/user_presenter'

export default class RegistrationsController {
  create({ view }: HttpContext) {
    return view.render('pages/auth/register')
  }

  /**
   * POST /register and POST /api/users. The user's profile and welcome
   * email follow from the model's hook.
   */
  @inject()
  async store(
    ctx: HttpContext,
    registration: Registration,
    webSessions: WebSessions,
    readRouting: ReadRouting
  ) {
    const payload = await ctx.request.validateUsing(registerValidator)
    const user = await registration.register(payload)

    if (wantsJson(ctx)) {
      await readRouting.actingFor(user.id) // their next reads, with a token, on the primary
      return ctx.response.created(ownUserData(user))
    }

    await webSessions.signIn(ctx, user)
    ctx.session.flash(
      'success',
      `Welcome to G-Social, ${user.firstName}! We sent a link to ${user.email}: ` +
        'follow it to confirm your address, then you can post and add friends.'
    )
    return ctx.response.redirect().toRoute('users.show', { id: user.id })
  }
}
