import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import Notification from '#models/notification'
import type { PresentedNotification } from '#services/notifications/notification_service'

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
export class NotificationStream {
  /** For a page being rendered: the current seq, then the count. */
  async current(userId: number): Promise<UnreadState> {
    const seq = Number((await redis.get(SEQ_KEY).catch(() => null)) ?? 0)
    return { unread_count: await unreadCount(userId), seq }
  }

  /** After a change: a new seq, then the count. */
  async next(userId: number): Promise<UnreadState> {
    const seq = await redis.incr(SEQ_KEY)
    return { unread_count: await unreadCount(userId), seq }
  }

  async publish(userId: number, notification: PresentedNotification | null = null) {
    const message: LiveMessage = { ...(await this.next(userId)), notification }
    const transmit = await app.container.make('transmit')
    transmit.broadcast(notificationChannel(userId), message as any)
    return message
  }
}
