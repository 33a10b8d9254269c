import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { wantsJson } from '#helpers/request'

/**
 * Headers every response carries, routed or not, whatever shield does on
 * the pages: no full URL (a reset link's token) leaks to other sites, and
 * JSON is never sniffed into something a browser would run.
 */
export default class SecurityHeadersMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.response.header('Referrer-Policy', 'same-origin')
    if (wantsJson(ctx)) {
      ctx.response.header('X-Content-Type-Options', 'nosniff')
    }
    return next()
  }
}
