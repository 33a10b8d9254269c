import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A post's likes and comments, counted as they change (in the transaction
 * that adds or removes the like or comment), so lists read them with the
 * post rather than counting per post.
 */
export default class extends BaseSchema {
  protected tableName = 'posts'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('likes_count').unsigned().notNullable().defaultTo(0)
      table.integer('comments_count').unsigned().notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('likes_count')
      table.dropColumn('comments_count')
    })
  }
}
