import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { NotificationService } from '#services/notifications/notification_service'
import { NotificationStream, unreadCount } from '#services/notifications/notification_stream'
import {
  listNotificationsValidator,
  markNotificationsReadValidator,
} from '#validators/notification'
import { wantsJson } from '#helpers/request'
import { FriendshipsService } from '#services/friends/friendships_service'

/**
 * A signed-in user's own notifications: no policy, every query is scoped to
 * the user (someone else's ids are simply not theirs to change).
 */
@inject()
export default class NotificationsController {
  constructor(
    private notifications: NotificationService,
    private notificationStream: NotificationStream
  ) {}

  /** GET /api/notifications: a page, plus the unread count. */
  async index(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const page = await ctx.request.validateUsing(listNotificationsValidator)
    const [result, unread] = await Promise.all([
      this.notifications.page(user.id, page, router.makeUrl('api.notifications.index')),
      unreadCount(user.id),
    ])
    return { ...result, unread_count: unread }
  }

  /**
   * GET /notifications: the same page as HTML. What it shows is read once
   * shown (as Mastodon and Facebook do): this once it is still highlighted
   * as new, the badge (here, and on every open page) goes down at once.
   * A friend request still pending gets its Accept and Decline buttons.
   */
  @inject()
  async show(ctx: HttpContext, friendships: FriendshipsService) {
    const user = ctx.auth.getUserOrFail()
    const page = await ctx.request.validateUsing(listNotificationsValidator)
    const result = await this.notifications.page(
      user.id,
      page,
      router.makeUrl('notifications.index')
    )
    const unread = result.data.filter((notification) => !notification.read)
    if (unread.length) {
      await this.notifications.markRead(
        user.id,
        unread.map((notification) => notification.id)
      )
      ctx.view.share({ notificationBadge: await this.notificationStream.publish(user.id) })
    }
    const requesters = result.data
      .filter((notification) => notification.type === 'friend_request')
      .map((notification) => notification.actor.id)
    const relations = await friendships.relations(user.id, requesters)
    return ctx.view.render('pages/notifications/index', { page: result, relations })
  }

  /** GET /notifications/badge: `{unread_count, seq}`, as the live stream sends it. */
  async badge(ctx: HttpContext) {
    return this.notificationStream.current(ctx.auth.getUserOrFail().id)
  }

  /**
   * POST /api/notifications/read (204) and POST /notifications/read (back to
   * the list). Only what changed is published, so every open page of the
   * user (any replica) shows the new count.
   */
  async read(ctx: HttpContext) {
    const user = ctx.auth.getUserOrFail()
    const { ids } = await ctx.request.validateUsing(markNotificationsReadValidator)
    const changed = await this.notifications.markRead(user.id, ids)
    if (changed > 0) await this.notificationStream.publish(user.id)

    if (wantsJson(ctx)) return ctx.response.noContent()
    return ctx.response.redirect().toRoute('notifications.index')
  }
}
