import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { cspFactory, frameGuardFactory, hstsFactory, noSniffFactory } from '@adonisjs/shield/guards'
import type { ShieldConfig } from '@adonisjs/shield/types'
import { UserDirectory } from '#services/users/user_directory'
import { PublicPages } from '#services/users/public_pages'
import { profilePage } from '#services/users/profile_page'

/**
 * GET /users/:id for a visitor who sends no cookie at all, and so has no
 * session, no remember-me token and no flash message: every such visitor
 * sees the same page. It is rendered without the web stack (a visitor's
 * page has no form to protect and no one signed in: no session, CSRF secret,
 * auth or bouncer), from the same cached parts as every profile page (the
 * user's data, latest posts and post fragments), with shield's security
 * headers, and then served as it was until the user's data or posts change
 * (app/services/users/public_pages.ts). Any cookie takes the full path.
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

    const page =
      this.pages.get(userId, data) ??
      (await this.pages.render(userId, data, async () => {
        const headers = await securityHeaders(ctx)
        const state = await profilePage(data, null, null, {})
        const html = Buffer.from(await ctx.view.render('pages/users/show', state))
        return { html, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } }
      }))
    for (const [name, value] of Object.entries(page.headers)) ctx.response.header(name, value)
    return ctx.response.send(page.html)
  }
}

let guardHeaders: Promise<Record<string, string>> | undefined

/**
 * The headers shield's guards set on a page (CSP, frame denial, HSTS,
 * nosniff: all but CSRF), the same for every visitor's page: worked out
 * once, on the first page this process renders for a visitor.
 */
function securityHeaders(ctx: HttpContext) {
  return (guardHeaders ??= (async () => {
    const config = structuredClone(app.config.get<ShieldConfig>('shield'))
    const before = new Set(Object.keys(ctx.response.getHeaders()))
    for (const guard of [
      cspFactory(config.csp ?? {}),
      frameGuardFactory(config.xFrame ?? {}),
      hstsFactory(config.hsts ?? {}),
      noSniffFactory(config.contentTypeSniffing ?? {}),
    ]) {
      await guard(ctx)
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(ctx.response.getHeaders())) {
      if (!before.has(name) && value !== undefined) headers[name] = String(value)
    }
    return headers
  })())
}
