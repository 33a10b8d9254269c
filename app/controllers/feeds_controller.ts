import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { HomeFeed } from '#services/posts/home_feed'
import { apiPage, presentPosts } from '#presenters/post_presenter'
import { pageValidator } from '#validators/page'
import { toPage } from '#helpers/page'
import { wantsJson } from '#helpers/request'
import { POST_TEXT_MAX_LENGTH } from '#validators/post'
import uploadsConfig from '#config/uploads'
import string from '@adonisjs/core/helpers/string'

export default class FeedsController {
  /**
   * GET /api/feed (bearer) and GET /feed (the signed-in home): the user's
   * and their friends' posts, newest first.
   */
  @inject()
  async show(ctx: HttpContext, feed: HomeFeed) {
    const user = ctx.auth.getUserOrFail()
    const page = await ctx.request.validateUsing(pageValidator)
    const path = router.makeUrl(wantsJson(ctx) ? 'api.feed' : 'feed')
    const result = await toPage(await feed.page(user.id, page), page, path, (posts) =>
      presentPosts(posts, user)
    )

    if (wantsJson(ctx)) return apiPage(result)
    return ctx.view.render('pages/feed/show', {
      feed: result,
      firstPage: !page.before,
      textMaxLength: POST_TEXT_MAX_LENGTH,
      maxSize: string.bytes.format(uploadsConfig.postImage.maxBytes, { unitSeparator: ' ' }),
    })
  }
}
