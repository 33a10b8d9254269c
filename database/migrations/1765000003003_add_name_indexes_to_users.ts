import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * People search is a prefix match on username, first or last name. The
 * columns' utf8mb4_unicode_ci collation makes `LIKE 'q%'` case- and
 * accent-insensitive and lets it range-scan these indexes (username has
 * its unique index already).
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.index(['first_name'], 'users_first_name_index')
      table.index(['last_name'], 'users_last_name_index')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['first_name'], 'users_first_name_index')
      table.dropIndex(['last_name'], 'users_last_name_index')
    })
  }
}
