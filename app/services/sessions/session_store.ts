import type { LocalStore } from '#cache/local_store'
import type { HttpContext } from '@adonisjs/core/http'
import type {
  SessionConfig,
  SessionData,
  SessionStoreContract,
  SessionStoreWithTaggingContract,
  TaggedSession,
} from '@adonisjs/session/types'

/**
 * A session store (the Redis one, shared by every replica) that renews an
 * unchanged session's expiry at most once a minute instead of on every
 * page: one Redis round trip less per signed-in page. A session then ends
 * at most a minute before its two hours of inactivity are up; a write, a
 * sign-out and the end of every session of a user go through at once.
 */
export class RecentlyTouchedStore implements SessionStoreWithTaggingContract {
  constructor(
    private store: SessionStoreWithTaggingContract,
    /** Sessions written or touched here within the last minute (app/cache/stores.ts). */
    private renewed: LocalStore<string, true>
  ) {}

  read(sessionId: string) {
    return this.store.read(sessionId)
  }

  async write(sessionId: string, data: SessionData) {
    await this.store.write(sessionId, data)
    this.renewed.set(sessionId, true)
  }

  async destroy(sessionId: string) {
    this.renewed.delete(sessionId)
    await this.store.destroy(sessionId)
  }

  async touch(sessionId: string) {
    if (this.renewed.get(sessionId)) return
    await this.store.touch(sessionId)
    this.renewed.set(sessionId, true)
  }

  tag(sessionId: string, userId: string) {
    return this.store.tag(sessionId, userId)
  }

  tagged(userId: string): Promise<TaggedSession[]> {
    return this.store.tagged(userId)
  }
}

/** Where @adonisjs/auth's session guard ("web") keeps the signed-in user's id. */
const SIGNED_IN_KEY = 'auth_web'
const FLASH_KEY = '__flash__'
/**
 * The most a guest's session may hold, as JSON: encrypted it grows by about
 * a third, staying well under a browser's 4 KB per cookie and, with the
 * other headers, under the 4 KB Nginx reads an answer's headers into.
 */
const GUEST_DATA_MAX_BYTES = 1536

const byteSize = (data: unknown) => Buffer.byteLength(JSON.stringify(data))

/**
 * Where a browser session lives. A guest's (the CSRF secret, flash messages,
 * the old input of a failed form) lives in an encrypted cookie of its own
 * (@adonisjs/session's cookie store, the cookie named after the session
 * id), so a visitor stores nothing in Redis, page after page. A session
 * that carries a signed-in user lives in Redis (`server`): signing in gives
 * it a new id, and every session of a user can be ended at once, on every
 * replica, through the tag the sign-in adds.
 *
 * Without a request (SessionCollection ending a user's sessions, the test
 * client) only signed-in sessions can be asked for: Redis answers.
 */
export class GuestCookieStore implements SessionStoreWithTaggingContract {
  /** The session id this request read from Redis, until it moves or ends. */
  #inServer: string | undefined

  constructor(
    private ctx: HttpContext | null,
    private config: SessionConfig,
    private cookies: SessionStoreContract,
    private server: SessionStoreWithTaggingContract
  ) {}

  async read(sessionId: string) {
    if (!this.ctx) return this.server.read(sessionId)
    const guest = await this.cookies.read(sessionId)
    if (guest) return guest
    // A fresh visitor (no session cookie, or an unknown one) has nothing stored anywhere.
    if (this.ctx.request.cookie(this.config.cookieName) !== sessionId) return null
    const data = await this.server.read(sessionId)
    if (data) this.#inServer = sessionId
    return data
  }

  async write(sessionId: string, data: SessionData) {
    if (!this.ctx) return this.server.write(sessionId, data)
    if (SIGNED_IN_KEY in data) {
      await this.cookies.destroy(sessionId)
      return this.server.write(sessionId, data)
    }
    await this.cookies.write(sessionId, this.#fitForCookie(data))
    if (this.#inServer === sessionId) await this.#destroyInServer(sessionId)
  }

  async destroy(sessionId: string) {
    if (!this.ctx) return this.server.destroy(sessionId)
    await this.cookies.destroy(sessionId)
    if (this.#inServer === sessionId) await this.#destroyInServer(sessionId)
  }

  touch(sessionId: string) {
    return this.#inServer === sessionId || !this.ctx
      ? this.server.touch(sessionId)
      : this.cookies.touch(sessionId)
  }

  tag(sessionId: string, userId: string) {
    return this.server.tag(sessionId, userId)
  }

  tagged(userId: string) {
    return this.server.tagged(userId)
  }

  async #destroyInServer(sessionId: string) {
    this.#inServer = undefined
    await this.server.destroy(sessionId)
  }

  /**
   * A guest's session too large for its cookie (a form posted with a long
   * text) drops what was typed, keeping the messages; a browser would drop
   * the whole cookie, and Nginx would refuse the answer with a 502.
   */
  #fitForCookie(data: SessionData): SessionData {
    if (byteSize(data) <= GUEST_DATA_MAX_BYTES) return data
    const { [FLASH_KEY]: flash, ...kept } = data
    const typed = new Set(Object.keys(this.ctx!.request.original()))
    const messages = Object.entries(flash ?? {}).filter(([key]) => !typed.has(key))
    const fitted = { ...kept, [FLASH_KEY]: Object.fromEntries(messages) }
    return byteSize(fitted) <= GUEST_DATA_MAX_BYTES ? fitted : kept
  }
}
