import { inject } from '@adonisjs/core'
import app from '@adonisjs/core/services/app'
import { SessionCollection } from '@adonisjs/session'
import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { LiveStreams } from '#services/notifications/live_streams'
import { ReadRouting } from '#services/database/read_routing'

/**
 * Browser sessions live in Redis (config/session.ts). Each sign-in tags its
 * session with the user's id — the store keeps one set of session ids per
 * user — so a password change or reset can end every other session of
 * that user on every replica at once. A session's live streams end with it,
 * wherever they are held: whatever ends sessions (suspension too) goes
 * through signOut or endAll.
 */
@inject()
export class WebSessions {
  constructor(
    private liveStreams: LiveStreams,
    private readRouting: ReadRouting
  ) {}

  /** Signs the user in (a new session id) and adds the session to their index. */
  async signIn(ctx: HttpContext, user: User) {
    await ctx.auth.use('web').login(user)
    await ctx.session.tag(String(user.id))
    await this.readRouting.actingFor(user.id)
  }

  /**
   * After the user changed their password here: the session names the
   * password that signed it in (CachedSessionUserProvider), so it takes
   * the new one and stays signed in, under the same id.
   */
  async followPassword(ctx: HttpContext, user: User) {
    const { session } = await ctx.auth.use('web').authenticateAsClient(user)
    for (const [key, value] of Object.entries(session ?? {})) ctx.session.put(key, value)
  }

  /**
   * Signs out: the session's data is destroyed in the store, not only its
   * cookie, so a copy of the old cookie signs no one in.
   */
  async signOut(ctx: HttpContext) {
    const sessionId = ctx.session.sessionId
    await ctx.auth.use('web').logout()
    await this.liveStreams.end({ sessionId })
    // logout() regenerates the id; the store drops the old one at commit.
    ctx.session.clear()
  }

  /**
   * Ends every session of the user, except `except` (the session making
   * the change, when it is a browser), then their streams, even if the
   * store failed: a stream that reconnects finds its session gone.
   */
  async endAll(userId: number, options: { except?: string } = {}) {
    try {
      const sessions = await app.container.make(SessionCollection)
      if (!sessions.supportsTagging()) return
      const tagged = await sessions.tagged(String(userId))
      await Promise.all(
        tagged
          .filter((session) => session.id !== options.except)
          .map((session) => sessions.destroy(session.id))
      )
    } finally {
      await this.liveStreams.end({ userId, except: options.except })
    }
  }
}
