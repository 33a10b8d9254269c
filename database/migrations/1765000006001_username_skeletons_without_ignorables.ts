import { BaseSchema } from '@adonisjs/lucid/schema'
import { usernameSkeleton } from '#helpers/username_skeleton'

/**
 * Username skeletons now leave out default-ignorable code points, so "bob"
 * padded with Hangul fillers is a look-alike of "bob". Recomputes the
 * skeletons of usernames holding them; one that would clash with a taken
 * skeleton becomes null, as in the migration that added the column (nobody
 * is renamed).
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.defer(async (db) => {
      const users = await db.from(this.tableName).select('id', 'username').orderBy('id')
      for (const { id, username } of users) {
        if (!/\p{Default_Ignorable_Code_Point}/u.test(username)) continue
        const skeleton = usernameSkeleton(username)
        const taken = await db
          .from(this.tableName)
          .where('username_skeleton', skeleton)
          .whereNot('id', id)
          .first()
        await db
          .from(this.tableName)
          .where('id', id)
          .update({ username_skeleton: taken ? null : skeleton })
      }
    })
  }

  /** The old skeletons are not worth restoring: they only missed look-alikes. */
  async down() {}
}
