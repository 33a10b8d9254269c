import { inject } from '@adonisjs/core'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import Notification from '#models/notification'
import {
  NotificationService,
  type PresentedNotification,
} from '#services/notifications/notification_service'
import { CacheStores } from '#cache/stores'
import { CacheInvalidation } from '#cache/invalidation'
import { withOpenStreams } from '#services/notifications/presence'

/** Each user's private channel: only their signed-in session may subscribe (live_streams.ts). */
export const notificationChannel = (userId: number) => `notifications/${userId}`

/**
 * The unread count as the badge shows it. `seq` orders the counts: every
 * change takes a new one from one Redis counter *before* counting, so a
 * message with a higher seq carries a count at least as fresh as every change
 * published before it. The browser keeps the highest seq it has seen, so
 * messages that overtake each other on the way cannot leave a stale count.
 */
export interface UnreadState {
  unread_count: number
  seq: number
}

export interface LiveMessage extends UnreadState {
  notification: PresentedNotification | null
}

const SEQ_KEY = 'notifications:seq'

/** Every signed-in page counts: a plain query, no model for a number. */
export async function unreadCount(userId: number) {
  const [row] = await db
    .from(Notification.table)
    .where('recipient_id', userId)
    .whereNull('read_at')
    .count('* as total')
  return Number(row.total)
}

/**
 * Live delivery of a user's notifications and unread count. Broadcasts go
 * through transmit's Redis transport, so a worker or any replica reaches the
 * replica holding the browser's stream.
 */
@inject()
export class NotificationStream {
  constructor(
    private stores: CacheStores,
    private invalidation: CacheInvalidation,
    private notifications: NotificationService
  ) {}

  /**
   * For a page being rendered: the current seq, then the count. Kept per
   * user in process (app/cache/stores.ts `unreadCounts`) until `publish`
   * drops it on every replica: a page reads no Redis and no MySQL for its
   * badge while nothing changed. A kept count is as fresh as its seq, so a
   * live message of any later change (a higher seq) still replaces it.
   */
  async current(userId: number): Promise<UnreadState> {
    return (await this.stores.unreadCounts.getOrLoad(userId, async () => {
      const seq = Number((await redis.get(SEQ_KEY).catch(() => null)) ?? 0)
      return { unread_count: await unreadCount(userId), seq }
    }))!
  }

  /** After a change: a new seq, then the count. */
  async next(userId: number): Promise<UnreadState> {
    const seq = await redis.incr(SEQ_KEY)
    return { unread_count: await unreadCount(userId), seq }
  }

  /**
   * After a change has committed: every replica's kept count goes, then the
   * live messages, one per notification (all with the count after them) or
   * one with the count alone.
   */
  async publish(userId: number, ...notifications: PresentedNotification[]) {
    await this.invalidation.unread(userId)
    return this.#broadcast(userId, notifications)
  }

  /**
   * After notifications were written (a job, a drain): every replica's kept
   * counts of their recipients go (one bus message), then only recipients
   * with a live stream open (one Redis round trip for all) are told, with
   * their notifications. The others have nothing listening: a page of
   * theirs counts when it loads. A stream that opens meanwhile misses the
   * message and shows its page's count until the next change. Written
   * already, so a failure here is logged, not thrown.
   */
  async tell(rows: Notification[]) {
    if (!rows.length) return
    const recipients = [...new Set(rows.map((row) => row.recipientId))]
    try {
      await this.invalidation.unread(...recipients)
      const online = await withOpenStreams(recipients)
      if (!online.length) return
      const heard = new Map(online.map((id) => [id, [] as PresentedNotification[]]))
      const recipientOf = new Map(rows.map((row) => [row.id, row.recipientId]))
      const shown = await this.notifications.present(
        rows.filter((row) => heard.has(row.recipientId))
      )
      for (const notification of shown) {
        heard.get(recipientOf.get(notification.id)!)!.push(notification)
      }
      await Promise.all([...heard].map(([id, list]) => this.#broadcast(id, list)))
    } catch (error) {
      logger.warn({ err: error, recipients }, 'notifications written, not told live')
    }
  }

  /** A new seq and count, then the messages on the user's channel; returns the last. */
  async #broadcast(userId: number, notifications: PresentedNotification[]) {
    const state = await this.next(userId)
    const transmit = await app.container.make('transmit')
    const messages: LiveMessage[] = notifications.length
      ? notifications.map((notification) => ({ ...state, notification }))
      : [{ ...state, notification: null }]
    for (const message of messages) transmit.broadcast(notificationChannel(userId), message as any)
    return messages.at(-1)!
  }
}
