import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The notification a friend request owes: `notified_at` stays NULL until the
 * WriteNotification job has written it (the receiver's while pending, the
 * sender's once accepted), so a notification whose job never reached Redis
 * is found again by the worker's sweep. Requests from before are settled.
 */
export default class extends BaseSchema {
  protected tableName = 'friend_requests'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('notified_at').nullable()
      table.index(['notified_at', 'id'], 'friend_requests_notified_at_id_index')
    })
    this.defer(async (db) => {
      await db.from(this.tableName).update({ notified_at: db.raw('updated_at') })
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['notified_at', 'id'], 'friend_requests_notified_at_id_index')
      table.dropColumn('notified_at')
    })
  }
}
