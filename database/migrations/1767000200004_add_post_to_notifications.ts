import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Notifications about a post (a comment, a like, a mention) name it in
 * `post_id` (NULL for the friend types) and go with it. One row per
 * (recipient, type, actor, post): the unique key reads the post through
 * the generated `post_key` (0 for none), since a unique key lets NULLs repeat.
 */
export default class extends BaseSchema {
  protected tableName = 'notifications'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table
        .enum('type', ['friend_request', 'friend_accepted', 'comment', 'like', 'mention'])
        .notNullable()
        .alter()
      table
        .integer('post_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('posts')
        .onDelete('CASCADE')
    })
    this.schema.raw(
      'ALTER TABLE notifications ADD COLUMN post_key INT UNSIGNED AS (COALESCE(post_id, 0)) VIRTUAL'
    )
    this.schema.alterTable(this.tableName, (table) => {
      table.unique(['recipient_id', 'type', 'actor_id', 'post_key'], {
        indexName: 'notifications_recipient_type_actor_post_unique',
      })
      table.dropUnique(['recipient_id', 'type', 'actor_id'])
    })
  }

  async down() {
    this.schema.raw("DELETE FROM notifications WHERE type IN ('comment', 'like', 'mention')")
    this.schema.alterTable(this.tableName, (table) => {
      table.unique(['recipient_id', 'type', 'actor_id'])
      table.dropUnique([], 'notifications_recipient_type_actor_post_unique')
      table.dropForeign(['post_id'])
      table.dropColumn('post_key')
      table.dropColumn('post_id')
      table.enum('type', ['friend_request', 'friend_accepted']).notNullable().alter()
    })
  }
}
