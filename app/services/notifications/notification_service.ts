import { retried } from '#helpers/retried'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import Notification, { REPEATS_NOTIFY, type NotificationType } from '#models/notification'
import { UserDirectory } from '#services/users/user_directory'
import { primary } from '#helpers/primary'
import { blockedAmong, pairKey } from '#services/friends/friendship_queries'
import { userSummary, type UserSummary } from '#presenters/user_presenter'
import { pageQuery, toPage, type PageRequest } from '#helpers/page'

/** What the WriteNotification job is asked to record. */
export interface NotificationIntent {
  type: NotificationType
  recipientId: number
  actorId: number
  /** the friend request or the comment (for a like or a mention, the post) */
  subjectId: number
  /** the post it is about; none for the friend types */
  postId?: number | null
  /** when the event happened (ms since the epoch): orders repeats, makes re-runs no-ops */
  at: number
}

export interface PresentedNotification {
  id: number
  type: NotificationType
  actor: UserSummary
  post_id: number | null
  read: boolean
  created_at: string
}

/**
 * A user's notifications: written by the job (once per event however often
 * it runs), listed newest first, marked read.
 */
export class NotificationService {
  /**
   * Records an event as the recipient's notification, or returns null when
   * there is nothing new to show: one's own action, a block either way, a run of a job that
   * already wrote it, an event older than the row, a user who is gone.
   * One row per (recipient, type, actor, post): a newer event of a type
   * that `REPEATS_NOTIFY` replaces it with a new id (top of the list),
   * unread; for the other types the first one stays.
   */
  async record(intent: NotificationIntent): Promise<Notification | null> {
    const [written] = await this.recordMany([intent])
    return written ?? null
  }

  /**
   * Records several events as `record` does each (a drain of likes): one
   * query for the blocks between all their people, one to read back the
   * rows written. Returns the rows written, oldest first.
   */
  async recordMany(intents: NotificationIntent[]): Promise<Notification[]> {
    const others = intents.filter((intent) => intent.recipientId !== intent.actorId)
    const blocked = await blockedAmong(others.map((intent) => [intent.recipientId, intent.actorId]))
    const ids: number[] = []
    for (const intent of others) {
      // Nothing from someone a block stands between (a block deletes the earlier ones).
      if (blocked.has(pairKey(intent.recipientId, intent.actorId))) continue
      // A race between two writers of one row (rare): the statements again.
      const id = await retried(() => this.#upsert(intent))
      if (id) ids.push(id)
    }
    if (!ids.length) return []
    return Notification.query({ client: primary() }).whereIn('id', ids).orderBy('id')
  }

  /**
   * Statements that each lock only the row's own key, so writers for other
   * keys never wait on each other: insert unless the key exists; else
   * replace the row if this event is newer. INSERT IGNORE also turns a
   * missing user (foreign key) into "nothing inserted".
   */
  async #upsert(intent: NotificationIntent): Promise<number | null> {
    const key = [intent.recipientId, intent.type, intent.actorId, intent.postId ?? 0]
    const createdAt = DateTime.fromMillis(intent.at, { zone: 'utc' }).toFormat(
      'yyyy-MM-dd HH:mm:ss.SSS'
    )
    const insert = async (client: QueryClientContract) => {
      const [result] = await client.rawQuery(
        `INSERT IGNORE INTO notifications (recipient_id, type, actor_id, subject_id, post_id, read_at, created_at)
         VALUES (?, ?, ?, ?, NULLIF(?, 0), NULL, ?)`,
        [intent.recipientId, intent.type, intent.actorId, intent.subjectId, key[3], createdAt]
      )
      return result.affectedRows === 1 ? Number(result.insertId) : null
    }

    const inserted = await insert(primary())
    if (inserted || !REPEATS_NOTIFY.includes(intent.type)) return inserted
    return db.transaction(async (trx) => {
      const [deleted] = await trx.rawQuery(
        `DELETE FROM notifications
          WHERE recipient_id = ? AND type = ? AND actor_id = ? AND post_key = ? AND created_at < ?`,
        [...key, createdAt]
      )
      return deleted.affectedRows === 1 ? insert(trx) : null
    })
  }

  /** One page of a user's notifications, newest first. */
  async page(userId: number, page: PageRequest, path: string) {
    const rows = await pageQuery(Notification.query().where('recipient_id', userId), page)
    return toPage(rows, page, path, (shown) => this.present(shown))
  }

  /**
   * Marks the user's notifications read: those in `ids` (others' ids are
   * ignored), or all. Idempotent; returns how many changed.
   */
  async markRead(userId: number, ids?: number[]) {
    const query = Notification.query().where('recipient_id', userId).whereNull('read_at')
    if (ids) {
      if (ids.length === 0) return 0
      query.whereIn('id', ids)
    }
    const [changed] = await query.update({
      read_at: DateTime.utc().toSQL({ includeOffset: false }),
    })
    return Number(changed)
  }

  /** Marks read the notification of `senderId`'s friend request to `receiverId`. */
  async markRequestRead(receiverId: number, senderId: number) {
    const [changed] = await Notification.query()
      .where({ recipientId: receiverId, type: 'friend_request', actorId: senderId })
      .whereNull('read_at')
      .update({ read_at: DateTime.utc().toSQL({ includeOffset: false }) })
    return Number(changed)
  }

  /**
   * What the API, the page and the live stream show; actors come from the
   * directory (which keeps nothing in the worker, off the invalidation bus).
   */
  async present(rows: Notification[]): Promise<PresentedNotification[]> {
    const directory = await app.container.make(UserDirectory)
    const actors = await directory.publicDataOf(rows.map((row) => row.actorId))
    return rows.flatMap((row) => {
      const actor = actors.get(row.actorId)
      // An actor deleted a moment ago: the cascade removes the row next.
      if (!actor) return []
      return [
        {
          id: row.id,
          type: row.type,
          actor: userSummary(actor),
          post_id: row.postId,
          read: row.read,
          created_at: row.createdAt.toUTC().toISO()!,
        },
      ]
    })
  }
}
