import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Marks API requests as JSON so every response and error, whatever the
 * client's Accept header said, is JSON.
 */
export default class ForceJsonResponseMiddleware {
  handle({ request }: HttpContext, next: NextFn) {
    request.request.headers.accept = 'application/json'
    return next()
  }
}
