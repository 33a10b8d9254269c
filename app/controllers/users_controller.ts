import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { wantsJson } from '#helpers/request'

export default class UsersController {
  /**
   * GET /users/:id and GET /api/users/:id. Signing in is optional; the
   * email shows only to the user themself.
   */
  async show(ctx: HttpContext) {
    const viewer = await this.optionalViewer(ctx)
    const user = await User.query().where('id', ctx.params.id).preload('profile').firstOrFail()

    if (wantsJson(ctx)) {
      return user.serializeFor(viewer)
    }
    return ctx.view.render('pages/users/show', {
      user,
      profile: user.profile,
      isOwner: viewer?.id === user.id,
    })
  }

  /**
   * GET /api/me (behind the auth middleware).
   */
  async me({ auth }: HttpContext) {
    const user: User = auth.getUserOrFail()
    await user.load('profile')
    return user.serializeFor(user)
  }

  /**
   * An API client without a token is a guest, but a token that is
   * invalid, expired or revoked is an error (401), never silently ignored.
   */
  private async optionalViewer(ctx: HttpContext) {
    if (!wantsJson(ctx)) {
      return (await ctx.auth.use('web').check()) ? ctx.auth.use('web').user! : null
    }
    if (!ctx.request.header('authorization')) {
      return null
    }
    return ctx.auth.use('api').authenticate()
  }
}
