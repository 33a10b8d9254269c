import router from '@adonisjs/core/services/router'
import type User from '#models/user'
import type { PageRequest } from '#helpers/page'
import { userPostsPage } from '#services/posts/post_lists'
import { userDataFor, type PublicUserData } from '#presenters/user_presenter'
import type { Relation } from '#services/friends/friendships_service'

/**
 * What a profile page (pages/users/show.edge) shows `viewer` of the user
 * whose public data is `data`: a signed-in viewer through UsersController,
 * a visitor without cookies (null, no relation) through the page cache.
 */
export async function profilePage(
  data: PublicUserData,
  viewer: User | null,
  relation: Relation | null,
  page: PageRequest
) {
  const path = router.makeUrl('users.show', { id: data.id })
  return {
    user: userDataFor(data, viewer),
    isOwner: viewer?.id === data.id,
    relation,
    posts: await userPostsPage(data.id, page, path, viewer),
    firstPage: !page.before,
  }
}
