import cache from '@adonisjs/cache/services/main'
import emitter from '@adonisjs/core/services/emitter'
import type { BentoCache } from '@adonisjs/cache'
import { HotMap } from '#helpers/hot_map'
import { dropEverywhere, onDroppedKeys, type BusEvents } from '#helpers/cache_bus'
import type { PublicUserData } from '#services/user_directory'
import type { PostData } from '#models/post'

export interface PublicPage {
  html: string
  /** The security headers shield set on the rendered page (CSP, frame denial, nosniff, HSTS). */
  headers: Record<string, string>
}

/** The bus key that drops a user's page on every replica; nothing is stored under it. */
const key = (userId: number) => `users:${userId}:page`
const KEY_PATTERN = /^users:(\d+):page$/

/**
 * About 14 KB a page with its twenty posts: with reads spread like real
 * traffic (Zipf over 100,000 users in `npm run bench`) the 2,000 most-read
 * pages take about half the cookieless reads, in ~30 MB.
 */
const PAGES_MAX = 2000
const PAGE_TTL_MS = 10 * 60_000
/** A user's newest posts (the rows, ~5 KB), for the most-read profiles. */
const LATEST_MAX = 3000
const LATEST_TTL_MS = 60_000

/**
 * What a profile page shows besides the user's data, kept in process: the
 * first page of the user's posts (every viewer's), and the rendered page for
 * visitors who send no cookie (every such visitor sees the same page, kept
 * with the cached user data it shows). Both go when the user's posts change
 * (forget, here and on every replica through the cache bus), and a page
 * also goes when its data does (the user directory hands out a new object
 * after a change to the user or profile). A new post costs neither the
 * user's cached data nor their signed-in row.
 */
export class PublicPages {
  #pages = new HotMap<number, PublicPage & { data: PublicUserData }>(
    'public pages',
    PAGES_MAX,
    PAGE_TTL_MS
  )
  #latestPosts = new HotMap<number, PostData[]>('latest posts', LATEST_MAX, LATEST_TTL_MS)

  /** Tests pass another cache, and the emitter its bus reports to, to play a second replica. */
  constructor(
    private store: Pick<BentoCache<any>, 'delete'> = cache,
    events: BusEvents = emitter
  ) {
    onDroppedKeys(events, [[KEY_PATTERN, (id) => this.#drop(id)]], () => this.#drop())
  }

  /** The page of user `userId` as it shows `data`, if one is kept. */
  get(userId: number, data: PublicUserData): PublicPage | undefined {
    const page = this.#pages.get(userId)
    // Counted here: a miss renders through `render`, which counts nothing.
    if (page?.data !== data) {
      this.#pages.misses++
      return undefined
    }
    this.#pages.hits++
    return page
  }

  /**
   * Renders the page and keeps it, unless it was dropped while rendering
   * (an older page must not outlive the change that dropped it).
   */
  async render(userId: number, data: PublicUserData, render: () => Promise<PublicPage | null>) {
    await this.#pages.load(userId, async () => {
      const page = await render()
      return page && { ...page, data }
    })
  }

  /** The first page of user `userId`'s posts, loaded on a miss. */
  async latestPosts(userId: number, load: () => Promise<PostData[]>) {
    return (await this.#latestPosts.getOrLoad(userId, load))!
  }

  /** The user's posts changed: their page goes, here and on every replica. */
  async forget(userId: number) {
    this.#drop(userId)
    await dropEverywhere(this.store, key(userId), 'public page', { userId })
  }

  /** User `userId`'s entries, or every entry. */
  #drop(userId?: number) {
    if (userId === undefined) {
      this.#pages.clear()
      this.#latestPosts.clear()
    } else {
      this.#pages.delete(userId)
      this.#latestPosts.delete(userId)
    }
  }
}

/** The app's public pages, on the app's cache bus. */
export const publicPages = new PublicPages()
