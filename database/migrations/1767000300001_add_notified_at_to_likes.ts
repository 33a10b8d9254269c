import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The notification a like owes its post's author: `notified_at` stays NULL
 * until the NotifyLikes drain has written it, so likes are told in batches
 * by the worker (one job for many) and a like whose drain was lost is found
 * again by the sweep. A like of one's own post owes nothing and is written
 * settled. Likes from before are settled.
 */
export default class extends BaseSchema {
  protected tableName = 'likes'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('notified_at', { precision: 3 }).nullable()
      table.index(['notified_at', 'id'], 'likes_notified_at_id_index')
    })
    this.defer(async (db) => {
      await db.rawQuery('UPDATE likes SET notified_at = created_at WHERE notified_at IS NULL')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['notified_at', 'id'], 'likes_notified_at_id_index')
      table.dropColumn('notified_at')
    })
  }
}
