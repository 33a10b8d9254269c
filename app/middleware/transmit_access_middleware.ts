import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { mayListenTo } from '#services/notifications/live_streams'

/**
 * In front of transmit's routes. A stream is known by the `uid` its browser
 * chose; transmit trusts whoever presents it. Ours are `u<user id>-<uuid>`
 * (public/static/notifications.js) and only that user's session may use one,
 * so a uid that leaks (a log line) is worth nothing to another account.
 * A subscription names a channel: only the user's own (notifications, feed), refused before
 * transmit stores it or tells the other replicas.
 */
export default class TransmitAccessMiddleware {
  handle(ctx: HttpContext, next: NextFn, options: { channel: boolean } = { channel: false }) {
    const user = ctx.auth.user
    if (!user) {
      return ctx.response.unauthorized({ errors: [{ message: 'Sign in to receive live updates' }] })
    }
    const uid = ctx.request.input('uid')
    const match = typeof uid === 'string' ? /^u(\d+)-[0-9a-f-]{36}$/.exec(uid) : null
    if (!match) {
      return ctx.response.unprocessableEntity({
        errors: [
          {
            message: 'This stream has no id, or not one this site gives',
            field: 'uid',
            rule: 'uid',
          },
        ],
      })
    }
    if (Number(match[1]) !== user.id) {
      return ctx.response.forbidden({
        errors: [{ message: 'This stream belongs to another session', field: 'uid' }],
      })
    }
    if (options.channel && !mayListenTo(user.id, ctx.request.input('channel'))) {
      return ctx.response.forbidden({
        errors: [
          { message: 'You may only listen to your own notifications and feed', field: 'channel' },
        ],
      })
    }
    return next()
  }
}
