import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import staticConfig from '#config/static'
import app from '@adonisjs/core/services/app'

const PREFIX = '/static/'

/**
 * Icons that browsers and phones ask for at the site's root whatever the
 * page links to; they live in public/static like everything else.
 */
const ROOT_FILES = new Set([
  '/favicon.ico',
  '/apple-touch-icon.png',
  '/apple-touch-icon-precomposed.png',
])

/**
 * Serves public/ only for /static/ URLs. The package's middleware stats the
 * folder on every request; keeping it off the other routes doubles the
 * API's throughput. In production Nginx serves /static/ itself. Built here
 * from config/static.ts, so the package's provider (a container binding
 * nothing resolves) is not loaded.
 */
export default class StaticAssetsMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const url = ctx.request.url()
    if (ROOT_FILES.has(url)) {
      const file = url === '/favicon.ico' ? url : '/apple-touch-icon.png'
      ctx.request.request.url = `/static${file}`
    } else if (!url.startsWith(PREFIX)) {
      return next()
    }
    serveStatic ??= new StaticMiddleware(app.publicPath(), staticConfig)
    return serveStatic.handle(ctx, next)
  }
}

/**
 * One for the process: middleware classes are built per request, and
 * building serve-static each time cost about 9% of a JSON request's CPU.
 */
let serveStatic: StaticMiddleware | undefined
