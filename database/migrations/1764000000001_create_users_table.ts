import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      // A case-insensitive collation makes the unique indexes reject
      // "Ada" beside "ada", whatever the application checks first.
      table.collate('utf8mb4_unicode_ci')
      table.increments('id').notNullable()
      table.string('username', 150).notNullable().unique()
      table.string('email', 254).notNullable().unique()
      table.string('first_name', 150).notNullable()
      table.string('last_name', 150).notNullable()
      table.string('password', 255).notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
