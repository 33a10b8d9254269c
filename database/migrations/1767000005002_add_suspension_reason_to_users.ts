import { BaseSchema } from '@adonisjs/lucid/schema'

/** Why a moderator suspended the account (`users:suspend --reason`), told to them by email. */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('suspension_reason', 1000).nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('suspension_reason')
    })
  }
}
