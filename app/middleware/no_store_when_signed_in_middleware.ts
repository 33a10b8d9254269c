import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { keepPrivate } from '#helpers/request'

/**
 * Whatever a signed-in browser is answered (a page, a redirect, an error
 * page, the badge's count) is that person's: no shared cache and no disk
 * cache keeps it. Checked after the route ran, so a page that signs
 * someone in is covered too, and one that signs them out is not.
 */
export default class NoStoreWhenSignedInMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    await next()
    if (ctx.auth.use('web').user) keepPrivate(ctx)
  }
}
