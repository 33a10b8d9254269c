import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { inject } from '@adonisjs/core'
import { LiveStreams } from '#services/notifications/live_streams'

/**
 * GET /__transmit/events: what transmit's own controller does, once the
 * stream has a place under the limits, and with the stream kept so that it
 * ends with its session.
 */
@inject()
export default class LiveStreamsController {
  constructor(private liveStreams: LiveStreams) {}

  async open(ctx: HttpContext) {
    const transmit = await app.container.make('transmit')
    const { request, response } = ctx
    const opened = await this.liveStreams.open(
      { userId: ctx.auth.getUserOrFail().id, sessionId: ctx.session.sessionId, ip: request.ip() },
      response.response,
      () =>
        transmit.createStream({
          uid: request.input('uid'),
          context: ctx,
          request: request.request,
          response: response.response,
          injectResponseHeaders: response.getHeaders(),
        })
    )
    if ('status' in opened) {
      return response.status(opened.status).send({ errors: [{ message: opened.message }] })
    }
    return response.stream(opened)
  }
}
