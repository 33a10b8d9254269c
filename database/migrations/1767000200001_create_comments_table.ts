import { BaseSchema } from '@adonisjs/lucid/schema'

/** What people write under a post; they go with the post or their author. */
export default class extends BaseSchema {
  protected tableName = 'comments'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.collate('utf8mb4_unicode_ci')
      table.bigIncrements('id').notNullable()
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
      table.text('text').notNullable()
      table.timestamp('created_at', { precision: 3 }).notNullable()

      // A post's comments newest first, one index range per page.
      table.index(['post_id', 'id'], 'comments_post_id_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
