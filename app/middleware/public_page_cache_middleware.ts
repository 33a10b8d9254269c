import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { UserDirectory } from '#services/users/user_directory'
import { PublicPages } from '#services/users/public_pages'

/**
 * GET /users/:id for a visitor who sends no cookie at all, and so has no
 * session, no remember-me token and no flash message: every such visitor
 * sees the same page. It is rendered once through the full web stack
 * (session, shield, auth, Edge) and then served as it was, without that
 * stack, until the user's data or posts change (app/services/users/public_pages.ts).
 * Any cookie takes the full path.
 */
@inject()
export default class PublicPageCacheMiddleware {
  constructor(
    private directory: UserDirectory,
    private pages: PublicPages
  ) {}

  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.header('cookie') !== undefined) return next()
    // Only the first page of the user's posts is cached ("Older posts" pages carry a query).
    if (ctx.request.parsedUrl.search) return next()

    const userId = Number(ctx.params.id)
    const data = await this.directory.publicData(userId)
    if (!data) return next()

    const cached = this.pages.get(userId, data)
    if (cached) {
      for (const [name, value] of Object.entries(cached.headers)) ctx.response.header(name, value)
      return ctx.response.send(cached.html)
    }

    await this.pages.render(userId, data, async () => {
      await next()
      const html = ctx.response.getBody()
      if (ctx.response.getStatus() !== 200 || typeof html !== 'string') return null
      return { html, headers: pageHeaders(ctx) }
    })
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
