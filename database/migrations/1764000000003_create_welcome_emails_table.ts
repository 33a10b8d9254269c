import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The welcome-email outbox: one row per user, written in the user's
 * transaction. It, not Redis, is the source of truth for what was sent.
 */
export default class extends BaseSchema {
  protected tableName = 'welcome_emails'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .enum('state', ['pending', 'sending', 'sent', 'failed'])
        .notNullable()
        .defaultTo('pending')
      table.integer('attempts').unsigned().notNullable().defaultTo(0)
      table.string('message_id', 255).nullable()
      table.string('last_error', 1000).nullable()
      table.timestamp('claimed_at').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['state', 'updated_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
