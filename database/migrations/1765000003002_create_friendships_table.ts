import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'friendships'

  /**
   * One row per direction: a user's friends are one range of the primary
   * key (user_id, friend_id), and the feed joins on it.
   */
  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('friend_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.timestamp('created_at').notNullable()
      table.primary(['user_id', 'friend_id'])
      table.index(['friend_id'], 'friendships_friend_id_index')
    })
    this.schema.raw(
      'ALTER TABLE friendships ADD CONSTRAINT friendships_not_self CHECK (user_id <> friend_id)'
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
