import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import Post, { type PostRow } from '#models/post'
import { presentPosts } from '#presenters/post_presenter'
import { DEFAULT_PAGE_LIMIT, pageQuery, toPage, type PageRequest } from '#helpers/page'
import { PublicPages } from '#services/public_pages'

/** One page of a user's posts (one index range), for the API and the profile page. */
export async function userPostsPage(userId: number, page: PageRequest, path: string) {
  // The first page of the default size is what profiles show: kept per user,
  // and so read from the primary (a lagging replica would keep an old list).
  const first = !page.before && (page.limit ?? DEFAULT_PAGE_LIMIT) === DEFAULT_PAGE_LIMIT
  const load = async () => {
    const query = db.query({ mode: first ? 'write' : 'read' }).from(Post.table)
    const rows: PostRow[] = await pageQuery(query.where('user_id', userId), page)
    return rows.map(Post.dataOf)
  }
  const pages = await app.container.make(PublicPages)
  const posts = first ? await pages.latestPosts(userId, load) : await load()
  return toPage(posts, page, path, presentPosts)
}
