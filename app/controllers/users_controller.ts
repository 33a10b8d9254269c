import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { UserDirectory } from '#services/users/user_directory'
import { keepPrivate, optionalViewer, wantsJson } from '#helpers/request'
import { pageValidator } from '#validators/page'
import { profilePage } from '#services/users/profile_page'
import NotFoundException from '#exceptions/not_found_exception'
import { FriendshipsService } from '#services/friends/friendships_service'
import { Visibility } from '#services/safety/visibility'
import { PrivacySettings } from '#services/safety/privacy_settings'
import { privacySettingsValidator } from '#validators/safety'
import { userDataFor } from '#presenters/user_presenter'

export default class UsersController {
  /**
   * GET /users/:id and GET /api/users/:id. Signing in is optional; the
   * email shows only to the user themself; a signed-in viewer also sees
   * how they stand with the user (`friendship`), added after the cache.
   */
  @inject()
  async show(ctx: HttpContext, friendships: FriendshipsService, visibility: Visibility) {
    const viewer = await optionalViewer(ctx)
    const userId = Number(ctx.params.id)
    // Absent, suspended or blocked either way: the same 404.
    const data = await visibility.user(viewer, userId)
    if (!data) {
      throw new NotFoundException('User')
    }
    if (viewer?.id === userId) {
      keepPrivate(ctx)
    }
    const relation = viewer ? await friendships.relation(viewer.id, userId) : null
    if (wantsJson(ctx)) {
      const user = userDataFor(data, viewer)
      return relation ? { ...user, friendship: relation.state } : user
    }
    const page = await ctx.request.validateUsing(pageValidator)
    return ctx.view.render('pages/users/show', await profilePage(data, viewer, relation, page))
  }

  /**
   * PATCH /api/me: `default_audience` (of new posts) and `friends_visible`
   * (who sees the friend list); the user data as `GET /api/me` shows it.
   */
  @inject()
  async update(ctx: HttpContext, settings: PrivacySettings, directory: UserDirectory) {
    const changes = await ctx.request.validateUsing(privacySettingsValidator)
    const user = await settings.update(ctx.auth.getUserOrFail(), changes)
    keepPrivate(ctx)
    return directory.dataFor(user.id, user)
  }

  /**
   * GET /api/me (behind the auth middleware).
   */
  @inject()
  async me(ctx: HttpContext, directory: UserDirectory) {
    const user: User = ctx.auth.getUserOrFail()
    keepPrivate(ctx)
    return directory.dataFor(user.id, user)
  }
}
