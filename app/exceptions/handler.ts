import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { wantsJson } from '#helpers/request'
import { humanMessages } from '#validators/messages'
import { notFoundMessage } from '#exceptions/not_found_exception'

type FieldMessage = { message: string; field: string; rule: string }

type ErrorLike = {
  status?: number
  code?: string
  name?: string
  message?: string
  messages?: FieldMessage[]
  field?: string
  rule?: string
  sqlMessage?: string
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

/**
 * A dependency is down when the error or one of its causes says so (the
 * cache wraps what its factory threw).
 */
function isUnavailable(error: ErrorLike) {
  let current: (ErrorLike & { cause?: unknown }) | undefined = error
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code !== undefined && UNAVAILABLE_CODES.has(current.code)) return true
    if (current.name === 'KnexTimeoutError') return true
    current = current.cause as typeof current
  }
  return false
}

/**
 * Errors that belong beside a field: Vine's, an upload refused by the
 * picture service, and a unique index that caught a race the validator
 * could not (two registrations of one username at the same instant).
 */
function fieldMessages(error: ErrorLike): FieldMessage[] | undefined {
  if (error.code === 'E_VALIDATION_ERROR' && Array.isArray(error.messages)) {
    return error.messages.map(({ message, field, rule }) => ({ message, field, rule }))
  }
  if (error.field && error.rule && error.message) {
    return [{ message: error.message, field: error.field, rule: error.rule }]
  }
  if (error.code === 'ER_DUP_ENTRY') {
    const field = /for key '(?:\w+\.)?\w+?_(\w+)_unique'/.exec(error.sqlMessage ?? '')?.[1]
    if (field) {
      const message = humanMessages.format(field, 'database.unique')
      return [{ message, field, rule: 'database.unique' }]
    }
  }
}

function statusOf(error: ErrorLike) {
  if (isUnavailable(error)) return 503
  if (error.code === 'ER_DUP_ENTRY') return 422
  // Wrong credentials are "unauthenticated" for an API client.
  if (error.code === 'E_INVALID_CREDENTIALS') return 401
  const status = error.status
  return Number.isInteger(status) && status! >= 400 && status! < 600 ? status! : 500
}

function retryAfterText(seconds = 60) {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
}

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
    const messages = fieldMessages(err)

    if (status === 404) {
      err.message = notFoundMessage(err, ctx.request.method(), ctx.request.url())
    }

    if (err.code === 'E_TOO_MANY_REQUESTS') {
      this.setRateLimitHeaders(err as any, ctx)
      err.message = `Too many attempts, try again in ${retryAfterText((err as any).response?.availableIn)}`
    }

    if (wantsJson(ctx)) {
      return this.renderJson(err, status, messages, ctx)
    }

    if (messages) {
      // Flashes the messages and the old input, then redirects back.
      return this.renderValidationErrorAsHTML(new vineErrors.E_VALIDATION_ERROR(messages), ctx)
    }

    // In development an unexpected 500 shows the full error page (Youch).
    if (status >= 500 && this.debug && !isUnavailable(err)) {
      return super.handle(error, ctx)
    }

    // CSRF, credentials and authentication errors redirect on their own.
    // Bouncer and the limiter answer plain text, so theirs get a page.
    const ownPage = ['E_AUTHORIZATION_FAILURE', 'E_TOO_MANY_REQUESTS']
    if ('handle' in err && !ownPage.includes(err.code!)) {
      return super.handle(error, ctx)
    }

    return this.renderPage(err, status, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }

  /** Retry-After and the X-RateLimit-* headers of a 429. */
  private setRateLimitHeaders(
    error: { headers?: object; getDefaultHeaders(): object },
    ctx: HttpContext
  ) {
    for (const [name, value] of Object.entries(error.headers ?? error.getDefaultHeaders())) {
      ctx.response.header(name, value)
    }
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

  private renderJson(
    error: ErrorLike,
    status: number,
    messages: FieldMessage[] | undefined,
    ctx: HttpContext
  ) {
    if (messages) {
      return ctx.response.status(status).send({ errors: messages })
    }

    let message = error.message ?? 'Request failed'
    if (status === 503) message = 'Service temporarily unavailable, please retry shortly'
    else if (status >= 500) message = 'Internal server error'

    // A rule without a field (e.g. email_unverified) still names itself.
    const rule = status < 500 ? error.rule : undefined
    return ctx.response.status(status).send({ errors: [rule ? { message, rule } : { message }] })
  }
}
