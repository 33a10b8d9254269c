import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import NotFoundException from '#exceptions/not_found_exception'
import router from '@adonisjs/core/services/router'
import Post from '#models/post'
import PostPolicy from '#policies/post_policy'
import { PostService } from '#services/posts/post_service'
import { PostCache } from '#cache/post_cache'
import { Visibility } from '#services/safety/visibility'
import { PostAccess } from '#services/posts/post_access'
import { apiPage, apiPost, presentNewPost, presentPost } from '#presenters/post_presenter'
import { createPostValidator, updatePostValidator, POST_TEXT_MAX_LENGTH } from '#validators/post'
import { pageValidator } from '#validators/page'
import { COMMENT_TEXT_MAX_LENGTH } from '#validators/comment'
import { CommentService } from '#services/comments/comment_service'
import { userPostsPage } from '#services/posts/post_lists'
import { optionalViewer, wantsJson } from '#helpers/request'

export default class PostsController {
  /**
   * POST /api/posts (JSON or multipart) and POST /posts (the composer).
   */
  @inject()
  async store(ctx: HttpContext, posts: PostService) {
    const { text, image, audience } = await ctx.request.validateUsing(createPostValidator)
    const author = ctx.auth.getUserOrFail()
    const post = await posts.create(author.id, {
      text,
      image,
      audience: audience ?? author.defaultAudience,
    })

    if (wantsJson(ctx)) {
      const shown = await presentNewPost(post)
      return ctx.response.created(shown && apiPost(shown))
    }
    ctx.session.flash('success', 'Your post is published')
    return ctx.response.redirect().toRoute('feed')
  }

  /**
   * GET /api/posts/:id and GET /posts/:id (with a page of its comments,
   * `?before=` for earlier ones): anyone.
   */
  @inject()
  async show(ctx: HttpContext, cache: PostCache, comments: CommentService) {
    const data = await cache.get(Number(ctx.params.id))
    const viewer = await optionalViewer(ctx)
    const post = data && (await presentPost(data, viewer))
    if (!post) throw new NotFoundException('Post')

    if (wantsJson(ctx)) return apiPost(post)
    const page = await ctx.request.validateUsing(pageValidator)
    const path = router.makeUrl('posts.show', { id: post.id })
    const shown = await comments.page(viewer, post.id, page, path)
    return ctx.view.render('pages/posts/show', {
      post,
      comments: shown,
      earlierUrl: shown.next && `${shown.next}#comments`,
      textMaxLength: COMMENT_TEXT_MAX_LENGTH,
    })
  }

  /**
   * GET /posts/:id/edit: the author's form to change the text.
   */
  @inject()
  async edit(ctx: HttpContext, access: PostAccess) {
    const post = await Post.findOrFail(ctx.params.id)
    await this.#authorize(ctx, access, 'update', post)
    return ctx.view.render('pages/posts/edit', { post, textMaxLength: POST_TEXT_MAX_LENGTH })
  }

  /**
   * PATCH /api/posts/:id (`text`) and PATCH /posts/:id (the edit form): the
   * author only.
   */
  @inject()
  async update(ctx: HttpContext, posts: PostService, access: PostAccess) {
    const post = await Post.findOrFail(ctx.params.id)
    await this.#authorize(ctx, access, 'update', post)
    await posts.update(post, await ctx.request.validateUsing(updatePostValidator))

    if (wantsJson(ctx)) {
      const shown = await presentPost(post.toData(), ctx.auth.getUserOrFail())
      return shown && apiPost(shown)
    }
    ctx.session.flash('success', 'Your post is updated')
    return ctx.response.redirect().toRoute('posts.show', { id: post.id })
  }

  /**
   * GET /posts/:id/delete: "Delete this post?", the author only; its form
   * sends the DELETE below.
   */
  @inject()
  async confirmDestroy(ctx: HttpContext, cache: PostCache, access: PostAccess) {
    const data = await cache.get(Number(ctx.params.id))
    if (!data) throw new NotFoundException('Post')
    await this.#authorize(ctx, access, 'delete', { id: data.id, userId: data.user_id })
    return ctx.view.render('pages/posts/delete', { post: data })
  }

  /**
   * DELETE /api/posts/:id and DELETE /posts/:id (the confirmation's form): the author only.
   */
  @inject()
  async destroy(ctx: HttpContext, posts: PostService, access: PostAccess) {
    const post = await Post.findOrFail(ctx.params.id)
    await this.#authorize(ctx, access, 'delete', post)
    await posts.delete(post)

    if (wantsJson(ctx)) return ctx.response.noContent()
    ctx.session.flash('success', 'Your post is deleted')
    return ctx.response.redirect().toRoute('feed')
  }

  /**
   * GET /api/users/:id/posts: one page of a user's posts that the viewer
   * may see; 404 for a user they may not see (absent, suspended, blocked).
   */
  @inject()
  async index(ctx: HttpContext, visibility: Visibility) {
    const userId = Number(ctx.params.id)
    const page = await ctx.request.validateUsing(pageValidator)
    const viewer = await optionalViewer(ctx)
    if (!(await visibility.user(viewer, userId))) throw new NotFoundException('User')
    const path = router.makeUrl('api.users.posts', { id: userId })
    return apiPage(await userPostsPage(userId, page, path, viewer))
  }

  /**
   * The author alone edits or deletes a post (PostPolicy). Someone the post
   * is hidden from (its audience, a block, a suspended author) gets the 404
   * that reading it gives, not a 403 telling them it is there.
   */
  async #authorize(
    ctx: HttpContext,
    access: PostAccess,
    action: 'update' | 'delete',
    post: { id: number; userId: number }
  ) {
    const user = ctx.auth.getUserOrFail()
    if (post.userId !== user.id) await access.visiblePost(user, post.id)
    await ctx.bouncer.with(PostPolicy).authorize(action, post)
  }
}
