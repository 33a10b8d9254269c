import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Every welcome email that went out, one row per send: the first, and each
 * one an admin forced with `welcome:resend --force` (its own Message-ID).
 * The outbox row keeps only the latest; `users:show` lists these.
 */
export default class extends BaseSchema {
  protected tableName = 'welcome_email_sends'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('message_id', 255).notNullable()
      table.timestamp('sent_at').notNullable()
      table.index(['user_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
