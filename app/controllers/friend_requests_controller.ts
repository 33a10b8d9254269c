import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import FriendRequest from '#models/friend_request'
import FriendRequestPolicy from '#policies/friend_request_policy'
import { FriendshipsService } from '#services/friends/friendships_service'
import {
  FriendRequestNotPendingException,
  FriendRequestGoneException,
} from '#exceptions/friendship_exceptions'
import { friendRequestListValidator, sendFriendRequestValidator } from '#validators/friend_request'
import { presentFriendRequest, presentFriendRequests } from '#presenters/friend_request_presenter'
import { toPage } from '#helpers/page'
import { wantsJson, backToPreviousPage } from '#helpers/request'

/**
 * Friend requests, for the API and the pages' forms alike: API clients get
 * JSON, browsers a flash message and a redirect back.
 */
@inject()
export default class FriendRequestsController {
  constructor(private friendships: FriendshipsService) {}

  /** GET /api/friend-requests?direction=incoming|outgoing */
  async index({ request, auth }: HttpContext) {
    const { direction = 'incoming', ...page } = await request.validateUsing(
      friendRequestListValidator
    )
    const rows = await this.friendships.pendingRequests(auth.getUserOrFail().id, direction, page)
    return toPage(rows, page, '/api/friend-requests', presentFriendRequests, { direction })
  }

  /** POST /api/friend-requests and POST /friend-requests */
  async store(ctx: HttpContext) {
    const { receiver_id: receiverId } = await ctx.request.validateUsing(sendFriendRequestValidator)
    const { request, accepted } = await this.friendships.send(
      ctx.auth.getUserOrFail().id,
      receiverId
    )

    if (wantsJson(ctx)) {
      return ctx.response.status(accepted ? 200 : 201).send(await presentFriendRequest(request))
    }
    ctx.session.flash('success', accepted ? 'You are now friends' : 'Friend request sent')
    return backToPreviousPage(ctx)
  }

  /** POST /api/friend-requests/:id/accept (the receiver) */
  async accept(ctx: HttpContext) {
    const request = await this.pending(ctx, 'accept')
    await this.friendships.accept(request)
    return this.answer(ctx, request, 'You are now friends')
  }

  /** POST /api/friend-requests/:id/decline (the receiver) */
  async decline(ctx: HttpContext) {
    const request = await this.pending(ctx, 'decline')
    await this.friendships.decline(request)
    return this.answer(ctx, request, 'Friend request declined')
  }

  /** DELETE /api/friend-requests/:id (the sender cancels) */
  async destroy(ctx: HttpContext) {
    const request = await this.pending(ctx, 'cancel')
    await this.friendships.cancel(request)
    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'Friend request cancelled')
    return backToPreviousPage(ctx)
  }

  /** The request of the URL: 404 unknown, 403 not theirs to act on, 409 already answered. */
  private async pending({ params, bouncer }: HttpContext, action: 'accept' | 'decline' | 'cancel') {
    const request = await FriendRequest.find(params.id)
    if (!request) throw new FriendRequestGoneException()
    await bouncer.with(FriendRequestPolicy).authorize(action, request)
    if (!request.isPending) throw new FriendRequestNotPendingException()
    return request
  }

  private async answer(ctx: HttpContext, request: FriendRequest, message: string) {
    if (wantsJson(ctx)) return presentFriendRequest(request)
    ctx.session.flash('success', message)
    return backToPreviousPage(ctx)
  }
}
