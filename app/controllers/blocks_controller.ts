import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { BlocksService } from '#services/safety/blocks_service'
import { presentSummaries } from '#presenters/friend_request_presenter'
import { pageValidator } from '#validators/page'
import { toPage } from '#helpers/page'
import { keepPrivate, wantsJson } from '#helpers/request'

/** Blocking people, for the API and the pages' forms. */
@inject()
export default class BlocksController {
  constructor(private blocks: BlocksService) {}

  /** PUT /api/users/:id/block and POST /users/:id/block (the profile's form). */
  async store(ctx: HttpContext) {
    await this.blocks.block(ctx.auth.getUserOrFail().id, Number(ctx.params.id))
    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'Blocked. You will no longer see each other.')
    return ctx.response.redirect().toRoute('settings.privacy')
  }

  /** DELETE /api/users/:id/block and DELETE /users/:id/block (the settings list's form). */
  async destroy(ctx: HttpContext) {
    await this.blocks.unblock(ctx.auth.getUserOrFail().id, Number(ctx.params.id))
    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'Unblocked')
    return ctx.response.redirect().toRoute('settings.privacy')
  }

  /** GET /api/blocks: a page of the people the user blocked. */
  async index(ctx: HttpContext) {
    const page = await ctx.request.validateUsing(pageValidator)
    const rows = await this.blocks.blockedIds(ctx.auth.getUserOrFail().id, page)
    keepPrivate(ctx)
    return toPage(rows, page, router.makeUrl('api.blocks'), presentSummaries)
  }
}
