import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { registerValidator } from '#validators/user'
import { wantsJson } from '#helpers/request'
import { webSessions } from '#services/web_sessions'

export default class RegistrationsController {
  create({ view }: HttpContext) {
    return view.render('pages/auth/register')
  }

  /**
   * POST /register and POST /api/users. The user's profile and welcome
   * email follow from the model's hook.
   */
  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(registerValidator)
    const user = await User.register(payload)

    if (wantsJson(ctx)) {
      return ctx.response.created(user.serializeFor(user))
    }

    await webSessions.signIn(ctx, user)
    ctx.session.flash('success', `Welcome to G-Social, ${user.firstName}!`)
    return ctx.response.redirect().toRoute('users.show', { id: user.id })
  }
}
