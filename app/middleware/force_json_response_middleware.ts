import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])

/**
 * Marks API requests as JSON so every response and error, whatever the
 * client's Accept header said, is JSON; and refuses a body that is
 * neither JSON nor multipart (415) instead of guessing at it.
 */
export default class ForceJsonResponseMiddleware {
  handle({ request }: HttpContext, next: NextFn) {
    request.request.headers.accept = 'application/json'

    // An empty body (Content-Length: 0, as in POST /api/auth/logout) is fine.
    const hasBody =
      Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding')
    if (BODY_METHODS.has(request.method()) && hasBody) {
      if (!request.is(['json', 'multipart'])) {
        throw new Exception(
          'Send the body as application/json (or multipart/form-data for files)',
          {
            status: 415,
            code: 'E_UNSUPPORTED_MEDIA_TYPE',
          }
        )
      }
    }
    return next()
  }
}
