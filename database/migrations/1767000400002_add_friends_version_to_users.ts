import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Which change of a user's friend set is the latest: a value unique to each
 * change (MySQL's UUID_SHORT()), set in the transaction of every friendship
 * made or ended (`friendSetsChanged` in app/services/friends/friendship_queries.ts);
 * 0 until the first. The worker's fan-out keeps friend lists with the value
 * they were read at, reads the values of a batch's authors (one row each)
 * and reloads only the lists whose value moved: a change cannot be missed,
 * as it commits with its value, and no two changes share one, even once
 * ids start over.
 */
export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.bigInteger('friends_version').unsigned().notNullable().defaultTo(0)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('friends_version')
    })
  }
}
