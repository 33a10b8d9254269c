import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Links mailed to a user: email confirmation and password reset. Only a
 * SHA-256 of each token is kept, so a copy of the table opens nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'account_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.enum('purpose', ['email_confirmation', 'password_reset']).notNullable()
      table.string('token_hash', 64).notNullable().unique()
      /** The address a confirmation link confirms: a changed email voids it. */
      table.string('email', 254).notNullable()
      table.timestamp('expires_at').notNullable()
      table.timestamp('used_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['user_id', 'purpose'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
