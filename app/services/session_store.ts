import type {
  SessionData,
  SessionStoreWithTaggingContract,
  TaggedSession,
} from '@adonisjs/session/types'

/** An unchanged session's expiry is renewed at most this often per process. */
const TOUCH_INTERVAL_MS = 60_000
const MAX_REMEMBERED = 50_000

/** When each session was last written or touched here, oldest first. */
const renewedAt = new Map<string, number>()

function remember(sessionId: string) {
  renewedAt.delete(sessionId)
  if (renewedAt.size >= MAX_REMEMBERED) renewedAt.delete(renewedAt.keys().next().value!)
  renewedAt.set(sessionId, Date.now())
}

/**
 * A session store (the Redis one, shared by every replica) that renews an
 * unchanged session's expiry at most once a minute instead of on every
 * page: one Redis round trip less per signed-in page. A session then ends
 * at most a minute before its two hours of inactivity are up; a write, a
 * sign-out and the end of every session of a user go through at once.
 */
export class RecentlyTouchedStore implements SessionStoreWithTaggingContract {
  constructor(private store: SessionStoreWithTaggingContract) {}

  read(sessionId: string) {
    return this.store.read(sessionId)
  }

  async write(sessionId: string, data: SessionData) {
    await this.store.write(sessionId, data)
    remember(sessionId)
  }

  async destroy(sessionId: string) {
    renewedAt.delete(sessionId)
    await this.store.destroy(sessionId)
  }

  async touch(sessionId: string) {
    const last = renewedAt.get(sessionId)
    if (last !== undefined && Date.now() - last < TOUCH_INTERVAL_MS) return
    await this.store.touch(sessionId)
    remember(sessionId)
  }

  tag(sessionId: string, userId: string) {
    return this.store.tag(sessionId, userId)
  }

  tagged(userId: string): Promise<TaggedSession[]> {
    return this.store.tagged(userId)
  }
}
