import router from '@adonisjs/core/services/router'
import env from '#start/env'

/**
 * The absolute URL of a named route, for links that leave the app (emails).
 * Outside the HTTP server (the worker, ace commands) the routes are loaded
 * but not committed; committing twice is a no-op.
 */
export function absoluteUrl(routeName: string, params?: Record<string, unknown>) {
  router.commit()
  return router.makeUrl(routeName, params, { prefixUrl: env.get('APP_URL') })
}
