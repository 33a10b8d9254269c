import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'

type ErrorLike = {
  status?: number
  code?: string
  name?: string
  message?: string
  messages?: { message: string; field: string; rule: string }[]
}

/** Driver and pool errors that mean "a dependency is down", not "a bug". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
])

function isUnavailable(error: ErrorLike) {
  return (
    (error.code !== undefined && UNAVAILABLE_CODES.has(error.code)) ||
    error.name === 'KnexTimeoutError'
  )
}

function statusOf(error: ErrorLike) {
  if (isUnavailable(error)) return 503
  const status = error.status
  return Number.isInteger(status) && status! >= 400 && status! < 600 ? status! : 500
}

/**
 * The API (and the health routes) always answer JSON, even for routes that
 * do not exist; everything else is a browser page.
 */
function wantsJson(ctx: HttpContext) {
  const url = ctx.request.url()
  return url.startsWith('/api/') || url === '/api' || url.startsWith('/health/')
}

/**
 * The one place that turns errors into responses: `{errors: [...]}` for
 * API clients, a status page (or a flash + redirect for forms) for browsers.
 */
const PAGES: Record<number, string> = {
  403: 'pages/errors/forbidden',
  404: 'pages/errors/not_found',
}

/**
 * The one place that turns errors into responses: `{errors: [...]}` for
 * API clients; for browsers a status page, or a flash and a redirect back
 * for a failed form (validation, CSRF) and the sign-in page for guests.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  async handle(error: unknown, ctx: HttpContext) {
    const err = (error ?? {}) as ErrorLike
    const status = statusOf(err)

    if (wantsJson(ctx)) {
      return this.renderJson(err, status, ctx)
    }

    // In development an unexpected 500 shows the full error page (Youch).
    if (status >= 500 && this.debug && !isUnavailable(err)) {
      return super.handle(error, ctx)
    }

    // Validation, CSRF and authentication errors redirect on their own
    // (flash + back, or the sign-in page). Bouncer's own handler answers
    // plain text, so its 403 takes the page below instead.
    const selfHandled = 'handle' in err && err.code !== 'E_AUTHORIZATION_FAILURE'
    if (err.code === 'E_VALIDATION_ERROR' || selfHandled) {
      return super.handle(error, ctx)
    }

    return this.renderPage(err, status, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }

  private async renderPage(error: ErrorLike, status: number, ctx: HttpContext) {
    const page =
      PAGES[status] ?? (status >= 500 ? 'pages/errors/server_error' : 'pages/errors/client_error')
    const html = await ctx.view.render(page, {
      message: status >= 500 ? undefined : error.message,
      unavailable: status === 503,
    })
    return ctx.response.status(status).type('html').send(html)
  }

  private renderJson(error: ErrorLike, status: number, ctx: HttpContext) {
    if (error.code === 'E_VALIDATION_ERROR' && Array.isArray(error.messages)) {
      const errors = error.messages.map(({ message, field, rule }) => ({ message, field, rule }))
      return ctx.response.status(422).send({ errors })
    }

    // Limiter errors carry Retry-After and rate headers; let them set those.
    if (error.code === 'E_TOO_MANY_REQUESTS' && 'handle' in error) {
      return (error as any).handle(error, ctx)
    }

    let message = error.message ?? 'Request failed'
    if (status === 503) message = 'Service temporarily unavailable, please retry shortly'
    else if (status >= 500) message = 'Internal server error'

    return ctx.response.status(status).send({ errors: [{ message }] })
  }
}
