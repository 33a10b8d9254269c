import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { defineConfig, stores } from '@adonisjs/session'
import type { SessionStoreFactory, SessionStoreWithTaggingContract } from '@adonisjs/session/types'
import { GuestCookieStore, RecentlyTouchedStore } from '#services/sessions/session_store'
import { CacheStores } from '#cache/stores'

/**
 * A guest's session in an encrypted cookie, a signed-in user's in Redis,
 * renewed at most once a minute when unchanged (app/services/sessions/session_store.ts).
 */
const browserSessions = configProvider.create<SessionStoreFactory>(async (application) => {
  const redisStore = await stores.redis({ connection: 'sessions' }).resolver(application)
  const cookieStore = await stores.cookie().resolver(application)
  const { renewedSessions } = await application.container.make(CacheStores)
  return (ctx, config) =>
    new GuestCookieStore(
      ctx,
      config,
      cookieStore(ctx, config),
      new RecentlyTouchedStore(
        redisStore(ctx, config) as SessionStoreWithTaggingContract,
        renewedSessions
      )
    )
})

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'gsocial-session',

  /**
   * When set to true, the session id cookie will be deleted
   * once the user closes the browser.
   */
  clearWithBrowser: false,

  /**
   * Define how long to keep the session data alive without
   * any activity.
   */
  age: '2h',

  /**
   * Configuration for session cookie and the
   * cookie store
   */
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },

  /**
   * The store to use. Make sure to validate the environment
   * variable in order to infer the store name without any
   * errors.
   */
  store: env.get('SESSION_DRIVER'),

  /**
   * List of configured stores. Refer documentation to see
   * list of available stores and their config.
   */
  stores: {
    /**
     * Signed-in sessions server-side, shared by every replica, each user's
     * tagged (an index); a guest's in a cookie, so visitors store nothing.
     */
    redis: browserSessions,
    cookie: stores.cookie(),
  },
})

export default sessionConfig
