import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A report outlives its reporter's account (as Mastodon keeps it): what was
 * reported still needs a moderator's look after the person who saw it left.
 * The reporter becomes unknown (NULL); the account's other rows still go.
 * Reports about the deleted account itself go with it, as its posts and
 * comments do: nothing is left to act on.
 */
export default class extends BaseSchema {
  protected tableName = 'reports'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropForeign(['reporter_id'])
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('reporter_id').unsigned().nullable().alter()
      table.foreign('reporter_id').references('id').inTable('users').onDelete('SET NULL')
    })
  }

  async down() {
    // A report without its reporter has no place in a NOT NULL column.
    this.defer(async (db) => {
      await db.from(this.tableName).whereNull('reporter_id').delete()
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.dropForeign(['reporter_id'])
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('reporter_id').unsigned().notNullable().alter()
      table.foreign('reporter_id').references('id').inTable('users').onDelete('CASCADE')
    })
  }
}
