import { inject } from '@adonisjs/core'
import type { PostData } from '#models/post'
import type { Viewer } from '#presenters/post_presenter'
import { PostCache } from '#cache/post_cache'
import { Visibility, type Lens } from '#services/safety/visibility'
import type { LockedPost } from '#services/posts/post_counts'
import NotFoundException from '#exceptions/not_found_exception'

/**
 * Who may see a post: the one answer every comment and like route asks
 * (reading, commenting, liking). A post someone may not see is a 404 to
 * them, as if it did not exist.
 */
@inject()
export class PostAccess {
  constructor(
    private posts: PostCache,
    private visibility: Visibility
  ) {}

  /** The post's audience, a block either way and a suspended author decide (Visibility). */
  canSee(viewer: Viewer, post: PostData) {
    return this.visibility.canSeePost(viewer, post)
  }

  /** The viewer's lens, to leave out the comments and likes of people they may not see. */
  lens(viewer: Viewer) {
    return this.visibility.lens(viewer)
  }

  /**
   * For a write on a post read under its lock (a like): the post's audience,
   * a block either way (the viewer's lens, taken before the transaction) and
   * a suspended author decide, as canSee does, without the directory: no
   * second pooled connection is taken while the lock is held. A 404 when
   * the viewer may not see it.
   */
  assertSeesLocked(lens: Lens, post: LockedPost) {
    if (post.author_suspended || !lens.seesPost(post)) throw new NotFoundException('Post')
  }

  /** The post `postId` if the viewer may see it; otherwise a 404. */
  async visiblePost(viewer: Viewer, postId: number) {
    const post = await this.posts.get(postId)
    if (!post || !(await this.canSee(viewer, post))) throw new NotFoundException('Post')
    return post
  }
}
