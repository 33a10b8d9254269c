import { BaseSchema } from '@adonisjs/lucid/schema'

const KINDS = ['welcome', 'email_confirmation', 'password_reset', 'password_changed']

/**
 * One outbox for every transactional email: a row per email owed, written
 * in the transaction of the change that owes it. The welcome rows of the
 * former `welcome_emails` table move in, each with a fresh job key.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('outbox_emails', (table) => {
      table.increments('id').notNullable()
      table.enum('kind', KINDS).notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      // What the kind needs beyond the user (a token, a link), as JSON.
      table.json('payload').nullable()
      table
        .enum('state', ['pending', 'sending', 'sent', 'failed'])
        .notNullable()
        .defaultTo('pending')
      table.integer('attempts').unsigned().notNullable().defaultTo(0)
      // The Bull job id: random, so ids reused after a restore never meet old jobs.
      table.string('job_key', 36).notNullable().unique()
      table.string('message_id', 255).nullable()
      table.string('last_error', 1000).nullable()
      // The claiming worker's lease: renewed while it sends, taken over once expired.
      table.timestamp('lease_until').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['user_id', 'kind'])
      table.index(['state', 'updated_at'])
      table.index(['state', 'lease_until'])
    })

    this.defer(async (db) => {
      const hasOld = await db.rawQuery("SHOW TABLES LIKE 'welcome_emails'")
      if (!hasOld[0].length) return
      await db.rawQuery(
        `INSERT INTO outbox_emails
           (kind, user_id, state, attempts, job_key, message_id, last_error, lease_until,
            sent_at, created_at, updated_at)
         SELECT 'welcome', user_id, state, attempts, UUID(), message_id, last_error,
                IF(state = 'sending', claimed_at + INTERVAL 120 SECOND, NULL), sent_at, created_at, updated_at
           FROM welcome_emails ORDER BY id`
      )
    })
    this.schema.dropTableIfExists('welcome_emails')
  }

  async down() {
    this.schema.createTable('welcome_emails', (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .enum('state', ['pending', 'sending', 'sent', 'failed'])
        .notNullable()
        .defaultTo('pending')
      table.integer('attempts').unsigned().notNullable().defaultTo(0)
      table.string('message_id', 255).nullable()
      table.string('last_error', 1000).nullable()
      table.timestamp('claimed_at').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').nullable()
      table.index(['state', 'updated_at'])
    })
    this.defer(async (db) => {
      await db.rawQuery(
        `INSERT INTO welcome_emails
           (user_id, state, attempts, message_id, last_error, claimed_at, sent_at, created_at, updated_at)
         SELECT user_id, state, attempts, message_id, last_error, lease_until, sent_at,
                created_at, updated_at
           FROM outbox_emails
          WHERE id IN (SELECT MAX(id) FROM outbox_emails WHERE kind = 'welcome' GROUP BY user_id)`
      )
    })
    this.schema.dropTable('outbox_emails')
  }
}
