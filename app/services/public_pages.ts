import cache from '@adonisjs/cache/services/main'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import type { BentoCache } from '@adonisjs/cache'
import { HotMap } from '#helpers/hot_map'
import { withTimeout } from '#helpers/timeout'
import type { BusEvents } from '#services/signed_in_users'
import type { PublicUserData } from '#services/user_directory'

export interface PublicPage {
  html: string
  /** The security headers shield set on the rendered page (CSP, frame denial, nosniff, HSTS). */
  headers: Record<string, string>
}

/** The bus key that drops a user's page on every replica; nothing is stored under it. */
const key = (userId: number) => `users:${userId}:page`
const KEY_PATTERN = /^users:(\d+):page$/

/**
 * About 5 KB a page: with reads spread like real traffic the most-read pages
 * are the ones kept, and the web process stays small.
 */
const PAGES_MAX = 5000
const PAGE_TTL_MS = 10 * 60_000

/**
 * Rendered profile pages for visitors who send no cookie (every such visitor
 * sees the same page), each kept with the cached user data it shows. A
 * page goes when its data does (the user directory hands out a new object
 * after a change to the user or profile), and on its own when the user's
 * posts change (forget, here and on every replica through the cache bus):
 * a new post does not cost the user's cached data or signed-in row.
 */
export class PublicPages {
  #pages = new HotMap<number, PublicPage & { data: PublicUserData }>(
    'public pages',
    PAGES_MAX,
    PAGE_TTL_MS
  )

  /** Tests pass another cache, and the emitter its bus reports to, to play a second replica. */
  constructor(
    private store: Pick<BentoCache<any>, 'delete'> = cache,
    events: BusEvents = emitter
  ) {
    events.on('bus:message:received', ({ message }) => {
      if (message.type === 'clear') return this.#pages.clear()
      for (const busKey of message.keys ?? []) {
        const match = KEY_PATTERN.exec(busKey)
        if (match) this.#pages.delete(Number(match[1]))
      }
    })
  }

  /** The page of user `userId` as it shows `data`, if one is kept. */
  get(userId: number, data: PublicUserData): PublicPage | undefined {
    const page = this.#pages.get(userId)
    return page?.data === data ? page : undefined
  }

  /**
   * Renders the page and keeps it, unless it was dropped while rendering
   * (an older page must not outlive the change that dropped it).
   */
  async render(userId: number, data: PublicUserData, render: () => Promise<PublicPage | null>) {
    if (this.#pages.get(userId)) this.#pages.delete(userId)
    await this.#pages.getOrLoad(userId, async () => {
      const page = await render()
      return page && { ...page, data }
    })
  }

  /** The user's posts changed: their page goes, here and on every replica. */
  async forget(userId: number) {
    this.#pages.delete(userId)
    // With Redis away the bus message waits in ioredis's queue and goes out
    // when Redis is back; the post itself must not wait for that.
    await withTimeout(this.store.delete({ key: key(userId) }), 250, 'cache delete timed out').catch(
      (error) => logger.warn({ err: error, userId }, 'public page not dropped everywhere yet')
    )
  }
}

/** The app's public pages, on the app's cache bus. */
export const publicPages = new PublicPages()
