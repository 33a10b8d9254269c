import app from '@adonisjs/core/services/app'
import { presentPosts, type Viewer } from '#presenters/post_presenter'
import { DEFAULT_PAGE_LIMIT, toPage, type PageRequest } from '#helpers/page'
import { PublicPages } from '#services/users/public_pages'
import { postsOf, recentPublicPosts } from '#services/posts/post_queries'
import { CacheStores } from '#cache/stores'

/** One page of a user's posts, for the API and the profile page. */
export async function userPostsPage(
  userId: number,
  page: PageRequest,
  path: string,
  viewer: Viewer
) {
  // The first page of the default size is what profiles show: kept per user.
  const first = !page.before && (page.limit ?? DEFAULT_PAGE_LIMIT) === DEFAULT_PAGE_LIMIT
  const pages = await app.container.make(PublicPages)
  const posts = first ? await pages.latestPosts(userId) : await postsOf(userId, page)
  return toPage(posts, page, path, (shown) => presentPosts(shown, viewer))
}

/**
 * The newest public posts, as a visitor sees them (the home page): one
 * query for every visitor of every replica's minute, dropped when any
 * post changes; nothing kept per visitor.
 */
export async function recentPublicPostsForVisitors() {
  const stores = await app.container.make(CacheStores)
  const posts = await stores.recentPublicPosts.getOrLoad(0, recentPublicPosts)
  return presentPosts(posts ?? [], null)
}
