import { BaseSchema } from '@adonisjs/lucid/schema'
import { usernameSkeleton } from '#helpers/username_skeleton'

/**
 * Look-alike usernames: each username's confusable skeleton, unique, so
 * "аdmin" (Cyrillic а) cannot register beside "admin". Existing users keep
 * their usernames; when two of them already share a skeleton, the newer
 * one keeps a null skeleton (nothing is renamed) and SECURITY.md says how
 * to find them.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('username_skeleton', 600).nullable().collate('utf8mb4_bin')
    })

    this.defer(async (db) => {
      const seen = new Set<string>()
      const users = await db.from(this.tableName).select('id', 'username').orderBy('id')
      for (const { id, username } of users) {
        const skeleton = usernameSkeleton(username)
        if (seen.has(skeleton)) continue
        seen.add(skeleton)
        await db.from(this.tableName).where('id', id).update({ username_skeleton: skeleton })
      }
    })

    this.schema.alterTable(this.tableName, (table) => {
      table.unique(['username_skeleton'], { indexName: 'users_username_lookalike_unique' })
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropUnique(['username_skeleton'], 'users_username_lookalike_unique')
      table.dropColumn('username_skeleton')
    })
  }
}
