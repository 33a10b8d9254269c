import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { LikeService } from '#services/likes/like_service'
import { PostCache } from '#cache/post_cache'
import { pageValidator } from '#validators/page'
import { optionalViewer, wantsJson, backToPreviousPage } from '#helpers/request'

export default class LikesController {
  /**
   * PUT /api/posts/:id/like and PUT /posts/:id/like (the like button).
   */
  @inject()
  async update(ctx: HttpContext, likes: LikeService, posts: PostCache) {
    await likes.like(ctx.auth.getUserOrFail(), Number(ctx.params.id))
    return this.#answer(ctx, posts, true)
  }

  /**
   * DELETE /api/posts/:id/like and DELETE /posts/:id/like.
   */
  @inject()
  async destroy(ctx: HttpContext, likes: LikeService, posts: PostCache) {
    await likes.unlike(ctx.auth.getUserOrFail(), Number(ctx.params.id))
    return this.#answer(ctx, posts, false)
  }

  /**
   * GET /api/posts/:id/likes: who likes the post, newest like first.
   */
  @inject()
  async index(ctx: HttpContext, likes: LikeService) {
    const postId = Number(ctx.params.id)
    const page = await ctx.request.validateUsing(pageValidator)
    const path = router.makeUrl('api.posts.likes', { id: postId })
    return likes.likers(await optionalViewer(ctx), postId, page, path)
  }

  /**
   * The API: 204. The button's script (it asks for JSON): the new state and
   * count. A plain form: back to the page it was on, at the post.
   */
  async #answer(ctx: HttpContext, posts: PostCache, liked: boolean) {
    const postId = Number(ctx.params.id)
    if (wantsJson(ctx)) return ctx.response.noContent()
    if (ctx.request.accepts(['html', 'json']) === 'json') {
      const post = await posts.get(postId)
      return { liked, likes_count: post?.likes_count ?? 0 }
    }
    return backToPreviousPage(ctx)
  }
}
