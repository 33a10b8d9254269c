import type { HttpContext } from '@adonisjs/core/http'

/**
 * API routes, the health routes and what a page's script calls (transmit's
 * stream and subscriptions, the badge's catch-up) always speak JSON, their
 * refusals included; the rest are browser pages. Decided by path so
 * unmatched routes answer in the right format too.
 */
export function wantsJson({ request }: HttpContext) {
  const url = request.url()
  return (
    url.startsWith('/api/') ||
    url === '/api' ||
    url.startsWith('/health/') ||
    url.startsWith('/__transmit/') ||
    url === '/notifications/badge'
  )
}

/**
 * For pages and answers meant for their owner alone (an email address, an
 * edit form): no shared cache and no disk cache keeps them.
 */
export function keepPrivate({ response }: HttpContext) {
  response.header('Cache-Control', 'private, no-store')
}

/**
 * Who reads a public page or answer: the signed-in user or the bearer
 * token's user; null for a visitor. A token sent is a token checked: a bad,
 * expired or revoked one is a 401 (CONTRACT.md, GET /api/users/:id), never
 * a silent visitor, who would be told that a friends-only post is not there.
 */
export async function optionalViewer(ctx: HttpContext) {
  if (!wantsJson(ctx)) {
    // The silent auth middleware has asked already on most pages: asking
    // again would build (and throw away) an exception for every visitor.
    const web = ctx.auth.use('web')
    if (!web.authenticationAttempted) await web.check()
    return web.user ?? null
  }
  if (!ctx.request.header('authorization')) return null
  return ctx.auth.use('api').authenticate()
}

/**
 * After a form that leaves the reader where they were (a friend request
 * from search results, a like on the feed's third page): back to the page
 * it was sent from, its query string included (Adonis' `back()` keeps only
 * the path unless told).
 */
export function backToPreviousPage({ response }: HttpContext) {
  return response.redirect().withQs().back()
}
