import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'friend_requests'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table
        .integer('sender_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('receiver_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.enum('status', ['pending', 'accepted', 'declined']).notNullable().defaultTo('pending')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()

      // Pages of pending requests: incoming and outgoing, newest first.
      table.index(['receiver_id', 'status', 'id'], 'friend_requests_receiver_status_id_index')
      table.index(['sender_id', 'status', 'id'], 'friend_requests_sender_status_id_index')
      // The expiry sweep: pending requests by age.
      table.index(['status', 'created_at'], 'friend_requests_status_created_at_index')
    })

    // One pending request per pair, whichever way round, enforced by MySQL
    // itself: the pair key is "least:greatest" while pending and NULL after
    // (a unique index admits any number of NULLs). Concurrent sends of one
    // pair can therefore never leave two pending rows.
    this.schema.raw(`
      ALTER TABLE friend_requests
        ADD COLUMN pending_pair VARCHAR(24) AS (
          IF(status = 'pending',
             CONCAT(LEAST(sender_id, receiver_id), ':', GREATEST(sender_id, receiver_id)),
             NULL)
        ) STORED,
        ADD UNIQUE INDEX friend_requests_pending_pair_unique (pending_pair),
        ADD CONSTRAINT friend_requests_not_to_self CHECK (sender_id <> receiver_id)
    `)
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
