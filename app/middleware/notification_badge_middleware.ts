import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { inject } from '@adonisjs/core'
import { NotificationStream } from '#services/notifications/notification_stream'

/**
 * The unread count in the header of every signed-in page, rendered on the
 * server (the page is right without JavaScript); the stream keeps it current.
 * Pages only: a form post redirects, and its next page counts.
 */
@inject()
export default class NotificationBadgeMiddleware {
  constructor(private notificationStream: NotificationStream) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.user
    if (user && ctx.request.method() === 'GET') {
      ctx.view.share({ notificationBadge: await this.notificationStream.current(user.id) })
    }
    return next()
  }
}
