import Post from '#models/post'
import { presentPosts } from '#presenters/post_presenter'
import { pageQuery, toPage, type PageRequest } from '#helpers/page'

/** One page of a user's posts (one index range), for the API and the profile page. */
export async function userPostsPage(userId: number, page: PageRequest, path: string) {
  const rows = await pageQuery(Post.query().where('userId', userId), page)
  return toPage(rows, page, path, (shown) => presentPosts(shown.map((row) => row.toData())))
}
