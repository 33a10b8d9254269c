import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import CommentPolicy from '#policies/comment_policy'
import { CommentService } from '#services/comments/comment_service'
import { presentComments } from '#presenters/comment_presenter'
import { createCommentValidator } from '#validators/comment'
import { pageValidator } from '#validators/page'
import { optionalViewer, wantsJson } from '#helpers/request'

export default class CommentsController {
  /**
   * GET /api/posts/:id/comments: anyone who may see the post, newest first.
   */
  @inject()
  async index(ctx: HttpContext, comments: CommentService) {
    const postId = Number(ctx.params.id)
    const page = await ctx.request.validateUsing(pageValidator)
    const path = router.makeUrl('api.posts.comments.index', { id: postId })
    return comments.page(await optionalViewer(ctx), postId, page, path)
  }

  /**
   * POST /api/posts/:id/comments and POST /posts/:id/comments (the post page's form).
   */
  @inject()
  async store(ctx: HttpContext, comments: CommentService) {
    const postId = Number(ctx.params.id)
    const { text } = await ctx.request.validateUsing(createCommentValidator)
    const comment = await comments.create(ctx.auth.getUserOrFail(), postId, text)

    if (wantsJson(ctx)) {
      const [shown] = await presentComments([comment])
      return ctx.response.created(shown)
    }
    ctx.session.flash('success', 'Your comment is published')
    const page = router.makeUrl('posts.show', { id: postId })
    return ctx.response.redirect().toPath(`${page}#comment-${comment.id}`)
  }

  /**
   * DELETE /api/comments/:id and DELETE /comments/:id (a form): the
   * comment's author or the post's author.
   */
  @inject()
  async destroy(ctx: HttpContext, comments: CommentService) {
    const user = ctx.auth.getUserOrFail()
    const { comment, postAuthorId } = await comments.find(user, Number(ctx.params.id))
    await ctx.bouncer.with(CommentPolicy).authorize('delete', comment, postAuthorId)
    await comments.delete(comment, postAuthorId)

    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'The comment is deleted')
    return ctx.response
      .redirect()
      .toPath(`${router.makeUrl('posts.show', { id: comment.postId })}#comments`)
  }
}
