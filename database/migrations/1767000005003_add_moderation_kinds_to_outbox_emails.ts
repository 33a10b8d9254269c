import { BaseSchema } from '@adonisjs/lucid/schema'

const BEFORE = ['welcome', 'email_confirmation', 'password_reset', 'password_changed']
const MODERATION = ['moderation_post_removed', 'moderation_suspended']

/** The moderators' two emails: a post removed, an account suspended. */
export default class extends BaseSchema {
  protected tableName = 'outbox_emails'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table
        .enum('kind', [...BEFORE, ...MODERATION])
        .notNullable()
        .alter()
    })
  }

  async down() {
    this.defer(async (db) => {
      await db.from(this.tableName).whereIn('kind', MODERATION).delete()
    })
    this.schema.alterTable(this.tableName, (table) => {
      table.enum('kind', BEFORE).notNullable().alter()
    })
  }
}
