import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What happened to a user: written by the WriteNotification job. One row per
 * (recipient, type, actor): a repeat (a request cancelled and sent again)
 * replaces the row with a new, unread one on top of the list.
 */
export default class extends BaseSchema {
  protected tableName = 'notifications'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id').notNullable()
      table
        .integer('recipient_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.enum('type', ['friend_request', 'friend_accepted']).notNullable()
      table
        .integer('actor_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // The friend request it is about; no foreign key: the request may be
      // withdrawn while the notification stays.
      table.bigInteger('subject_id').unsigned().notNullable()
      table.timestamp('read_at').nullable()
      table.timestamp('created_at', { precision: 3 }).notNullable()

      table.unique(['recipient_id', 'type', 'actor_id'])
      // The recipient's newest-first page (id order) ...
      table.index(['recipient_id', 'id'])
      // ... and the unread count, read from the index alone.
      table.index(['recipient_id', 'read_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
