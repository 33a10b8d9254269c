import type { HttpContext } from '@adonisjs/core/http'
import { recentPublicPostsForVisitors } from '#services/posts/post_lists'

/**
 * GET /: for visitors, what G-Social is and its newest public posts (a
 * cached read: nothing per visitor, no Redis); signed in, where to go next.
 */
export default class HomeController {
  async show({ auth, view }: HttpContext) {
    const recentPosts = auth.user ? null : await recentPublicPostsForVisitors()
    return view.render('pages/home', { recentPosts })
  }
}
