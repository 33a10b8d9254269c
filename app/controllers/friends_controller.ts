import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FriendshipsService } from '#services/friendships_service'
import { NotFoundException } from '#exceptions/friendship_exceptions'
import { userDirectory } from '#services/user_directory'
import { userSummaries } from '#presenters/friend_request_presenter'
import { pageValidator } from '#validators/page'
import { toPage } from '#helpers/page'
import { wantsJson } from '#helpers/request'

@inject()
export default class FriendsController {
  constructor(private friendships: FriendshipsService) {}

  /** GET /api/users/:id/friends: a page of user summaries. */
  async index({ params, request }: HttpContext) {
    const userId = Number(params.id)
    const page = await request.validateUsing(pageValidator)
    if (!(await userDirectory.publicData(userId)))
      throw new NotFoundException('No user with this id')
    const rows = await this.friendships.friendIds(userId, page)
    return toPage(rows, page, `/api/users/${userId}/friends`, presentSummaries)
  }

  /** DELETE /api/friends/:user_id and DELETE /friends/:user_id */
  async destroy(ctx: HttpContext) {
    await this.friendships.unfriend(ctx.auth.getUserOrFail().id, Number(ctx.params.user_id))
    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'You are no longer friends')
    return ctx.response.redirect().back()
  }
}

/** Rows with user ids, as user summaries in the same order. */
export async function presentSummaries(rows: { id: number }[]) {
  const summaries = await userSummaries(rows.map((row) => row.id))
  return rows.flatMap((row) => summaries.get(row.id) ?? [])
}
