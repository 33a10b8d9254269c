import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A post's version: every change of what the post cache holds (its counts,
 * text, audience) adds one in the statement that makes it, so the cache can
 * keep the newest of two refreshes that arrive out of order without reading
 * the row again (app/cache/post_cache.ts).
 */
export default class extends BaseSchema {
  protected tableName = 'posts'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('version').unsigned().notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('version')
    })
  }
}
