import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'posts'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.collate('utf8mb4_unicode_ci')
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.text('text').nullable()
      // A drive key; NULL for a post without a picture.
      table.string('image', 255).nullable()
      // The fan-out outbox: NULL until every friend's home feed has the post;
      // the worker's sweep re-queues posts left NULL (a lost job).
      table.timestamp('fanned_out_at').nullable()
      // Milliseconds, as the API shows them (and the fan-out job id uses them).
      table.timestamp('created_at', { precision: 3 }).notNullable()
      table.timestamp('updated_at', { precision: 3 }).nullable()

      // A user's posts newest first, and a feed's "posts of these users below id X".
      table.index(['user_id', 'id'], 'posts_user_id_id_index')
      table.index(['fanned_out_at', 'id'], 'posts_fanned_out_at_id_index')
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
