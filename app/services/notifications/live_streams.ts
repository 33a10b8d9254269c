import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import { SessionCollection } from '@adonisjs/session'
import logger from '@adonisjs/core/services/logger'
import { withTimeout } from '#helpers/timeout'
import { notificationChannel } from '#services/notifications/notification_stream'
import { ONLINE_KEY } from '#services/notifications/presence'

/** Live streams (`/__transmit/events`) open at once, across every replica (CONTRACT "Strangers"). */
export const STREAM_LIMITS = { perUser: 5, perIp: 20 }

/** Longer than any channel of ours (`notifications/` or `feed/`, and an id): refused unread. */
const MAX_CHANNEL_LENGTH = 64

/** Each user's feed channel: new posts in their timeline (app/services/posts/feed_stream.ts). */
export const feedChannel = (userId: number) => `feed/${userId}`

/** The channels a signed-in user's stream may subscribe to: their own. */
export function ownChannels(userId: number) {
  return [notificationChannel(userId), feedChannel(userId)]
}

export function mayListenTo(userId: number, channel: unknown) {
  return (
    typeof channel === 'string' &&
    channel.length <= MAX_CHANNEL_LENGTH &&
    ownChannels(userId).includes(channel)
  )
}

/*
| Each open stream holds a lease in two Redis sorted sets (its user's, its
| address's), scored by when the lease runs out. The replica holding the
| stream renews it while the stream lives (putting it back if Redis lost it)
| and removes it when it closes; a crashed replica's leases run out by
| themselves. One more sorted set, of user ids scored by their latest lease's
| end, answers who is online for a whole fan-out in one command (presence.ts).
*/
const LEASE_MS = 60_000
/** How often the holding process calls `sweep` (providers/live_streams_provider.ts). */
export const RENEW_EVERY_MS = 20_000
const REDIS_WAIT_MS = 1000

/**
 * Drops run-out leases, then takes one in both sets if both have room (and
 * marks the user online until it runs out): 0, or 1/2 for the full set.
 */
const TAKE_LEASE = `
for i = 1, 2 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[1]) end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[i], ARGV[6])
end
redis.call('ZADD', KEYS[3], 'GT', ARGV[2], ARGV[7])
return 0`

/** Gives a lease back; the user is offline once no lease of theirs is left running. */
const RELEASE_LEASE = `
for i = 1, 2 do redis.call('ZREM', KEYS[i], ARGV[1]) end
if redis.call('ZCOUNT', KEYS[1], ARGV[2], '+inf') == 0 then redis.call('ZREM', KEYS[3], ARGV[3]) end
return 0`

const userLeases = (userId: number) => `streams:user:${userId}`

export type Refusal = { status: 429 | 503; message: string }

interface OpenStream {
  lease: string
  keys: [string, string]
  userId: number
  sessionId: string
  /** transmit's stream: ending it ends the response cleanly. */
  stream: Duplex
}

/** Which streams must end: a session's, or every one of a user's but the surviving session's. */
type Ending = { sessionId: string } | { userId: number; except?: string }

// Pub/sub ignores Redis database numbers: one channel per database, as transmit's.
const ENDED_CHANNEL = `gsocial:streams:ended:${env.get('REDIS_DB', 0)}`

/**
 * The live streams this process holds, counted against the limits across
 * replicas, and ended on whichever replica holds them when their session
 * ends (webSessions calls `end`).
 */
export class LiveStreams {
  #open = new Set<OpenStream>()
  #listening = false

  /**
   * Opens a stream (`create`) if it has a place under the limits, and keeps
   * it until its response closes; otherwise says why not. Fails closed:
   * with Redis away no stream opens (the page works without one, and its
   * script retries), since an uncounted stream is what the limits prevent.
   */
  async open(
    owner: { userId: number; sessionId: string; ip: string },
    response: ServerResponse,
    create: () => Duplex
  ): Promise<Duplex | Refusal> {
    const lease = randomUUID()
    const keys: [string, string] = [userLeases(owner.userId), `streams:ip:${owner.ip}`]
    const now = Date.now()
    let full: unknown
    try {
      full = await withTimeout(
        redis.eval(
          TAKE_LEASE,
          3,
          ...keys,
          ONLINE_KEY,
          now,
          now + LEASE_MS,
          lease,
          STREAM_LIMITS.perUser,
          STREAM_LIMITS.perIp,
          LEASE_MS,
          owner.userId
        ),
        REDIS_WAIT_MS,
        'stream lease timed out'
      )
    } catch (error) {
      logger.warn(
        { err: error, userId: owner.userId },
        'live stream refused: its count could not be kept'
      )
      return {
        status: 503,
        message: 'Live updates are unavailable for a moment; the page still works',
      }
    }
    if (full === 1) {
      return {
        status: 429,
        message: `You have ${STREAM_LIMITS.perUser} live streams open already: close a tab to open another`,
      }
    }
    if (full === 2) {
      return {
        status: 429,
        message: `Too many live streams from your network (${STREAM_LIMITS.perIp}): close some to open another`,
      }
    }

    // The browser may have left while the lease was taken.
    if (response.destroyed) {
      void this.#release({ lease, keys, userId: owner.userId })
      return { status: 503, message: 'The connection closed' }
    }
    const open: OpenStream = {
      lease,
      keys,
      userId: owner.userId,
      sessionId: owner.sessionId,
      stream: create(),
    }
    this.#open.add(open)
    this.#listen()
    response.once('close', () => {
      this.#open.delete(open)
      void this.#release(open)
    })
    return open.stream
  }

  /**
   * Ends the streams of a session (sign-out) or of a user's sessions
   * (password change or reset, deletion, suspension) on every replica. The
   * session is already gone, and a stream cannot outlive it by more than a
   * Redis round trip: with Redis away, the failure is logged, not raised.
   */
  async end(ending: Ending) {
    this.#endHere(ending)
    await withTimeout(
      redis.publish(ENDED_CHANNEL, JSON.stringify(ending)),
      REDIS_WAIT_MS,
      'timed out'
    ).catch((error) => logger.warn({ err: error, ...ending }, 'live streams not ended everywhere'))
  }

  #endHere(ending: Ending) {
    for (const open of this.#open) {
      const ends =
        'sessionId' in ending
          ? open.sessionId === ending.sessionId
          : open.userId === ending.userId && open.sessionId !== ending.except
      if (ends) open.stream.end()
    }
  }

  #listen() {
    if (this.#listening) return
    this.#listening = true
    // The bus connection waits for Redis rather than failing a subscription.
    redis.connection('bus').subscribe(ENDED_CHANNEL, (message) => {
      try {
        this.#endHere(JSON.parse(message))
      } catch (error) {
        logger.warn({ err: error }, 'unreadable stream-ending message')
      }
    })
  }

  /**
   * What the process does every RENEW_EVERY_MS: renews the leases of the
   * streams it holds, and ends those whose session is gone without a word
   * reaching this replica (it expired, or the ending was published while
   * this replica was cut off from Redis).
   */
  async sweep() {
    const open = [...this.#open]
    if (!open.length) return
    const until = Date.now() + LEASE_MS
    const pipeline = redis.pipeline()
    for (const { keys, lease, userId } of open) {
      for (const key of keys) pipeline.zadd(key, until, lease).pexpire(key, LEASE_MS)
      pipeline.zadd(ONLINE_KEY, 'GT', until, userId)
    }
    await pipeline.exec().catch((error) => logger.warn({ err: error }, 'stream leases not renewed'))

    const sessions = await app.container.make(SessionCollection)
    // A cookie store keeps no session on the server to look for.
    if (!sessions.supportsTagging()) return
    await Promise.all(
      open.map(async ({ sessionId, stream }) => {
        // A store that cannot answer ends nothing.
        if ((await sessions.get(sessionId).catch(() => undefined)) === null) stream.end()
      })
    )
  }

  async #release({ keys, lease, userId }: Pick<OpenStream, 'keys' | 'lease' | 'userId'>) {
    await redis.eval(RELEASE_LEASE, 3, ...keys, ONLINE_KEY, lease, Date.now(), userId).catch(() => {
      // The lease runs out by itself.
    })
  }
}
