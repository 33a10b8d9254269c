import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What keeps people safe (CONTRACT.md "Blocks, audience, reports,
 * moderation"): who blocked whom, one row per direction asked (a block works
 * both ways, but only the blocker may lift it); each post's audience; each
 * user's default audience, who sees their friend list, and since when they
 * are suspended (null: not suspended; written by the moderation commands).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('blocks', (table) => {
      table
        .integer('blocker_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('blocked_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.timestamp('created_at').notNullable()
      table.primary(['blocker_id', 'blocked_id'])
      table.index(['blocked_id'], 'blocks_blocked_id_index')
    })
    this.schema.raw(
      'ALTER TABLE blocks ADD CONSTRAINT blocks_not_self CHECK (blocker_id <> blocked_id)'
    )

    this.schema.alterTable('posts', (table) => {
      table.enum('audience', ['public', 'friends']).notNullable().defaultTo('public')
    })
    this.schema.alterTable('users', (table) => {
      table.enum('default_audience', ['public', 'friends']).notNullable().defaultTo('public')
      table.enum('friends_visible', ['public', 'friends']).notNullable().defaultTo('public')
      table.timestamp('suspended_at').nullable()
    })
  }

  async down() {
    this.schema.alterTable('users', (table) => {
      table.dropColumn('suspended_at')
      table.dropColumn('friends_visible')
      table.dropColumn('default_audience')
    })
    this.schema.alterTable('posts', (table) => {
      table.dropColumn('audience')
    })
    this.schema.dropTable('blocks')
  }
}
