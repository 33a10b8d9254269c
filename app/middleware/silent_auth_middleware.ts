import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { UserDirectory } from '#services/users/user_directory'

/**
 * Looks up the signed-in user, if any, without requiring one, so every
 * page can show who is signed in, with their picture (from the cached
 * user data: templates make no queries).
 */
@inject()
export default class SilentAuthMiddleware {
  constructor(private directory: UserDirectory) {}

  async handle(ctx: HttpContext, next: NextFn) {
    if (await ctx.auth.check()) {
      const data = await this.directory.publicData(ctx.auth.user!.id)
      ctx.view.share({ currentUserPicture: data?.profile_data.profile_picture })
    }
    return next()
  }
}
