import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What people report to the moderators (Mastodon's reports): one row per
 * report, open until an admin resolves it (`node ace reports:resolve`).
 * The target is a post, a comment or a user: its type and id (no foreign
 * key, a removed post must not take its report with it), the user it
 * belongs to, and its text as it was reported, kept for the record.
 */
export default class extends BaseSchema {
  protected tableName = 'reports'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table
        .integer('reporter_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.enum('target_type', ['post', 'comment', 'user']).notNullable()
      table.bigInteger('target_id').unsigned().notNullable()
      table
        .integer('target_user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.text('target_text').nullable()
      table.enum('reason', ['spam', 'harassment', 'other']).notNullable()
      table.string('note', 1000).nullable()
      table.enum('status', ['open', 'resolved']).notNullable().defaultTo('open')
      table.enum('action', ['dismiss', 'remove', 'suspend']).nullable()
      table.string('resolution_note', 1000).nullable()
      table.timestamp('resolved_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()

      // reports:list --status=…, oldest first.
      table.index(['status', 'id'])
      // Every report of one thing, resolved together.
      table.index(['target_type', 'target_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
