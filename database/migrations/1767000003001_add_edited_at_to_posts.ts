import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * When a post's text last changed after it was posted (CONTRACT "Comments,
 * likes and mentions": `edited_at`); NULL for a post never edited, which is
 * every post from before.
 */
export default class extends BaseSchema {
  protected tableName = 'posts'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.timestamp('edited_at', { precision: 3 }).nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('edited_at')
    })
  }
}
