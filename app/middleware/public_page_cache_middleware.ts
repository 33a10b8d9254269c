import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { userDirectory, type PublicUserData } from '#services/user_directory'

interface CachedPage {
  html: string
  /** The security headers shield set on the rendered page (CSP, frame denial, nosniff, HSTS). */
  headers: Record<string, string>
}

/**
 * Pages by user id, each with the cached data object it shows. When the
 * directory drops a user's data (an update, on any replica), the next read
 * gets a new object, the page no longer matches it and is rendered again:
 * a page never outlives its data. At most PAGES_MAX pages (about 5 KB
 * each), the oldest dropped first: with reads spread like real traffic the
 * most-read pages are the ones kept, and the web process stays small.
 */
const PAGES_MAX = 5000
const pages = new Map<number, CachedPage & { data: PublicUserData }>()

/**
 * GET /users/:id for a visitor who sends no cookie at all, and so has no
 * session, no remember-me token and no flash message: every such visitor
 * sees the same page. It is rendered once through the full web stack
 * (session, shield, auth, Edge) and then served as it was, without that
 * stack. Any cookie takes the full path. The page lists the user's latest
 * posts: a post written, edited or deleted drops the user's data
 * (app/listeners/post_listener.ts), and so the page.
 */
export default class PublicPageCacheMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.header('cookie') !== undefined) return next()
    // Only the first page of the user's posts is cached ("Older posts" pages carry a query).
    if (ctx.request.parsedUrl.search) return next()

    const userId = Number(ctx.params.id)
    const data = await userDirectory.publicData(userId)
    if (!data) return next()

    const cached = pages.get(userId)
    if (cached?.data === data) {
      for (const [name, value] of Object.entries(cached.headers)) ctx.response.header(name, value)
      return ctx.response.send(cached.html)
    }

    await next()
    const html = ctx.response.getBody()
    if (ctx.response.getStatus() === 200 && typeof html === 'string') {
      pages.delete(userId)
      if (pages.size >= PAGES_MAX) pages.delete(pages.keys().next().value!)
      pages.set(userId, { data, html, headers: pageHeaders(ctx) })
    }
  }
}

/** The response's headers, minus the cookies that belong to this one visitor. */
function pageHeaders(ctx: HttpContext) {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(ctx.response.getHeaders())) {
    if (name.toLowerCase() !== 'set-cookie' && value !== undefined) headers[name] = String(value)
  }
  return headers
}
