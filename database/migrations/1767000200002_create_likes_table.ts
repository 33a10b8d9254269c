import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Who likes which post: one row per pair (the primary key makes a second
 * like a no-op). `id` only orders a post's likes for paging, newest first.
 */
export default class extends BaseSchema {
  protected tableName = 'likes'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table
        .integer('post_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('posts')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.specificType('id', 'BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE')
      table.timestamp('created_at', { precision: 3 }).notNullable()

      table.primary(['post_id', 'user_id'])
      // A post's likers newest first; a user's likes (the viewer's `liked`, account deletion).
      table.index(['post_id', 'id'], 'likes_post_id_id_index')
      table.index(['user_id'], 'likes_user_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
