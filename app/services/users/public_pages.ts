import { inject } from '@adonisjs/core'
import { CacheStores, type PublicPage } from '#cache/stores'
import type { PublicUserData } from '#services/users/user_directory'
import type { PostData } from '#models/post'
import { latestPostsOfMany } from '#services/posts/post_queries'
import type { LoadMany } from '#cache/local_store'

export type { PublicPage }

/**
 * What a profile page shows besides the user's data, kept in process
 * (app/cache/stores.ts): the first page of the user's posts (every
 * viewer's), and the rendered page for visitors who send no cookie (every
 * such visitor sees the same page, kept with the cached user data it
 * shows). Both go when the user's posts change (CacheInvalidation.authorPage),
 * and a page also goes when its data does (the user directory hands out a
 * new object after a change to the user or profile).
 */
@inject()
export class PublicPages {
  constructor(private stores: CacheStores) {}

  /** The page of user `userId` as it shows `data`, if one is kept. */
  get(userId: number, data: PublicUserData): PublicPage | undefined {
    const pages = this.stores.pages
    const page = pages.get(userId)
    // Counted here: a miss renders through `render`, which counts nothing.
    if (page?.data !== data) {
      pages.misses++
      return undefined
    }
    pages.hits++
    return page
  }

  /**
   * Renders the page and keeps it, unless it was dropped while rendering
   * (an older page must not outlive the change that dropped it).
   */
  async render(userId: number, data: PublicUserData, render: () => Promise<PublicPage>) {
    return (await this.stores.pages.load(userId, async () => ({ ...(await render()), data })))!
  }

  /**
   * The first page of user `userId`'s posts; the misses of one turn are
   * loaded together (tests pass their own load).
   */
  async latestPosts(userId: number, loadMany: LoadMany<number, PostData[]> = latestPostsOfMany) {
    return (await this.stores.latestPosts.getOrLoadBatched(userId, loadMany))!
  }
}
