import app from '@adonisjs/core/services/app'
import { HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as vineErrors } from '@vinejs/vine'
import { backToPreviousPage, wantsJson } from '#helpers/request'
import { isDependencyDown } from '#helpers/dependency_errors'
import { notFoundMessage } from '#exceptions/not_found_exception'

type HttpError = Error & { status: number; code?: string; field?: string; rule?: string } & {
  getDefaultHeaders?: () => Record<string, string | number> // the limiter's Retry-After…
}

/** Bouncer and the limiter answer browsers in plain text: they get our page instead. */
const PAGE_INSTEAD_OF_OWN_ANSWER = new Set(['E_AUTHORIZATION_FAILURE', 'E_TOO_MANY_REQUESTS'])

const clientErrorPage: StatusPageRenderer = (error, { view }) =>
  view.render('pages/errors/client_error', { message: error.message })

/**
 * The one place errors become responses: `{errors: [...]}` for the API; for
 * browsers the messages beside the form fields, or a status page.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction
  protected renderStatusPages = true
  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (_, { view }) => view.render('pages/errors/forbidden'),
    '404': (_, { view }) => view.render('pages/errors/not_found'),
    '400..402': clientErrorPage,
    '405..499': clientErrorPage,
    '500..599': (error, { view }) =>
      view.render('pages/errors/server_error', { unavailable: error.status === 503 }),
  }
  /**
   * Logged with the status it is answered with: an expected refusal (a
   * 404 for a key Drive refuses, /media/..%2f.env) is a warning, never
   * an error.
   */
  async report(error: unknown, ctx: HttpContext) {
    return super.report(toHttpError(error), ctx)
  }

  async handle(error: unknown, ctx: HttpContext) {
    const mapped = toHttpError(error)
    const err =
      mapped.status === 404
        ? answeredAs(mapped, {
            message: notFoundMessage(mapped, ctx.request.method(), ctx.request.url()),
          })
        : withPlainWords(mapped)
    for (const [name, value] of Object.entries(err.getDefaultHeaders?.() ?? {})) {
      ctx.response.header(name, value)
    }
    // Validation errors, and errors that name their field and rule (an upload refused).
    const fields: { message: string; field: string; rule: string }[] | undefined =
      err instanceof vineErrors.E_VALIDATION_ERROR
        ? err.messages
        : err.field && err.rule
          ? [{ message: err.message, field: err.field, rule: err.rule }]
          : undefined
    if (wantsJson(ctx)) {
      const errors = fields?.map(({ message, field, rule }) => ({ message, field, rule }))
      return ctx.response.status(err.status).send({ errors: errors ?? [jsonMessage(err)] })
    }
    // A page's address with a bad value (`/feed?before=abc`): no form to go back to.
    if (fields && ['GET', 'HEAD'].includes(ctx.request.method())) {
      const message = fields.map((f) => f.message).join('. ')
      return super.handle({ status: err.status, message }, ctx)
    }
    if (fields) {
      return super.handle(new vineErrors.E_VALIDATION_ERROR(fields), ctx) // flash, redirect back
    }
    // A form refused by a rule of its own (email unconfirmed, a limit reached,
    // a request no longer pending), or expired (Shield's CSRF check, whose own
    // answer drops the page's query string): back to the form with the message
    // above it (components/flash.edge), keeping what was typed.
    const expired = err.code === 'E_BAD_CSRF_TOKEN'
    if (
      (err.rule || expired) &&
      ctx.request.method() !== 'GET' &&
      ctx.session &&
      !ctx.session.readonly
    ) {
      ctx.session.flashExcept(['_csrf', '_method', 'password', 'password_confirmation'])
      ctx.session.flashErrors({ [expired ? 'E_BAD_CSRF_TOKEN' : 'E_FORM_REFUSED']: err.message })
      return backToPreviousPage(ctx)
    }
    if (err.status >= 500 && err.status !== 503 && this.debug)
      return this.renderErrorAsHTML(err, ctx)
    if (PAGE_INSTEAD_OF_OWN_ANSWER.has(err.code!)) {
      return super.handle({ status: err.status, message: err.message }, ctx)
    }
    return super.handle(err, ctx)
  }
}

/**
 * The error as answered: a view of it (its prototype is the error, so its
 * class, code, stack and fields still show) with the answer's own status or
 * message. The error itself stays as thrown for whoever else holds it.
 */
function answeredAs(err: Error, answer: Partial<Pick<HttpError, 'status' | 'message'>>) {
  return Object.assign(Object.create(err) as HttpError, answer)
}

/**
 * The body parser's refusals, said for people: its own words are a
 * library's ("request entity too large") or the JSON parser's, down to
 * "Maximum call stack size exceeded" for a body nested too deep.
 */
function withPlainWords(err: HttpError): HttpError {
  if (err.code === 'E_REQUEST_ENTITY_TOO_LARGE') {
    return answeredAs(err, { message: 'This request is larger than the server accepts' })
  }
  if (err.status === 400 && err instanceof RangeError) {
    return answeredAs(err, { message: 'The JSON body is nested too deeply' })
  }
  if (err.status === 400 && err instanceof SyntaxError) {
    return answeredAs(err, { message: `The body is not valid JSON (${err.message})` })
  }
  // The parser's strict mode refuses anything not opening with { or [ before
  // parsing it: `"ada"` and `garbage` alike. Neither is an object to read
  // fields from, and the second is malformed: both are the client's syntax.
  if (err.status === 422 && err.message === 'Invalid JSON, only supports object and array') {
    return answeredAs(err, { status: 400, message: 'The body must be a JSON object' })
  }
  if (isUndecodableBody(err)) {
    return answeredAs(err, {
      message: 'The body could not be decompressed: it is not what its Content-Encoding says',
    })
  }
  return err
}

/**
 * zlib's refusal of a body that its Content-Encoding header misnames
 * (gzip's and deflate's Z_DATA_ERROR, brotli's ERR__ERROR_FORMAT_…): the
 * client's mistake, thrown by the body parser before any route runs. Not
 * zlib's own failures (Z_MEM_ERROR): those stay 500s.
 */
function isUndecodableBody(err: HttpError & { errno?: unknown }) {
  return (
    typeof err.errno === 'number' &&
    /^(Z_DATA_ERROR|Z_BUF_ERROR|Z_NEED_DICT|ERR__ERROR_FORMAT_\w+)$/.test(err.code ?? '')
  )
}

/** A status for any error: 503 when a dependency is down, 500 for a bug. */
function toHttpError(error: unknown): HttpError {
  const err = (error instanceof Error ? error : new Error(String(error))) as HttpError
  const wanted = isDependencyDown(err) ? 503 : isUndecodableBody(err) ? 400 : err.status
  const status = Number.isInteger(wanted) && wanted >= 400 && wanted < 600 ? wanted : 500
  return status === err.status ? err : answeredAs(err, { status })
}

/** A 5xx never shows its internals; a rule without a field (email_unverified) names itself. */
function jsonMessage({ status, message, rule }: HttpError) {
  if (status === 503) return { message: 'Service temporarily unavailable, please retry shortly' }
  if (status >= 500) return { message: 'Internal server error' }
  return rule ? { message, rule } : { message }
}
