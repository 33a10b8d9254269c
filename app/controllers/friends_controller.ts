import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FriendshipsService } from '#services/friends/friendships_service'
import NotFoundException from '#exceptions/not_found_exception'
import { Visibility } from '#services/safety/visibility'
import {
  presentFriendRequests,
  presentSummaries,
  summariesSeenBy,
} from '#presenters/friend_request_presenter'
import { pageValidator } from '#validators/page'
import { userSummary } from '#presenters/user_presenter'
import { friendsPageValidator } from '#validators/friend_request'
import { toPage, type Page } from '#helpers/page'
import { optionalViewer, wantsJson } from '#helpers/request'

@inject()
export default class FriendsController {
  constructor(
    private friendships: FriendshipsService,
    private visibility: Visibility
  ) {}

  /**
   * GET /api/users/:id/friends: a page of user summaries, to those the
   * user shows their friends to (`friends_visible`); without the people the
   * viewer may not see.
   */
  async index(ctx: HttpContext) {
    const userId = Number(ctx.params.id)
    const page = await ctx.request.validateUsing(pageValidator)
    const viewer = await optionalViewer(ctx)
    const friends = await this.visibility.friendsOf(viewer, userId)
    if (friends === 'absent') throw NotFoundException.saying('No user with this id')
    // Still a 404 (CONTRACT.md), but not one that says the person is not there.
    if (friends === 'hidden') {
      throw NotFoundException.saying('This person shows their friends only to their friends')
    }
    const rows = await this.friendships.friendIds(userId, page)
    const seen = summariesSeenBy(await this.visibility.lens(viewer))
    return toPage(rows, page, `/api/users/${userId}/friends`, seen)
  }

  /**
   * GET /friends: requests for the user, requests they sent, and their
   * friends; `?list=` shows one of them, paged on with "More".
   */
  async page({ request, auth, view }: HttpContext) {
    const { list, ...page } = await request.validateUsing(friendsPageValidator)
    const userId = auth.getUserOrFail().id
    const pageOf = (name: string) => (list === name ? page : {})
    const lists: Record<string, Page<unknown>> = {}
    for (const direction of ['incoming', 'outgoing'] as const) {
      if (list && list !== direction) continue
      const rows = await this.friendships.pendingRequests(userId, direction, pageOf(direction))
      lists[direction] = await toPage(rows, pageOf(direction), '/friends', presentFriendRequests, {
        list: direction,
      })
    }
    if (!list || list === 'friends') {
      const rows = await this.friendships.friendIds(userId, pageOf('friends'))
      lists.friends = await toPage(rows, pageOf('friends'), '/friends', presentSummaries, {
        list: 'friends',
      })
    }
    return view.render('pages/friends/index', { lists, only: list })
  }

  /**
   * GET /friends/:user_id/unfriend: "Unfriend …?", whose form sends the
   * DELETE below; not friends (any more), the profile says how they stand.
   */
  async confirmDestroy({ auth, params, response, view }: HttpContext) {
    const friendId = Number(params.user_id)
    const data = await this.visibility.user(auth.getUserOrFail(), friendId)
    if (!data) throw NotFoundException.saying('No user with this id')
    const relation = await this.friendships.relation(auth.getUserOrFail().id, friendId)
    if (relation.state !== 'friends')
      return response.redirect().toRoute('users.show', { id: friendId })
    return view.render('pages/friends/unfriend', { friend: userSummary(data) })
  }

  /** DELETE /api/friends/:user_id and DELETE /friends/:user_id (the confirmation's form: to their profile). */
  async destroy(ctx: HttpContext) {
    const friendId = Number(ctx.params.user_id)
    await this.friendships.unfriend(ctx.auth.getUserOrFail().id, friendId)
    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'You are no longer friends')
    return ctx.response.redirect().toRoute('users.show', { id: friendId })
  }
}
