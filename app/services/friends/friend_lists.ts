import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { CacheStores, type FriendList } from '#cache/stores'
import { primary } from '#helpers/primary'
import { friendIdsOfMany } from '#services/friends/friendship_queries'

/**
 * The friends of a batch's authors, for the fan-out: the worker reads them
 * for every batch of posts, mostly of people who posted a moment ago, and
 * their friendships rarely change in between. Kept per process with the
 * change of the friend set they were read at (users.friends_version, set in
 * the transaction of every friendship made or ended: friendSetsChanged).
 * Each call reads the authors' changes first (one row each, on the
 * primary) and loads again only the lists whose change moved, so a kept
 * list is never older than the friendships made or ended before the call.
 * An account's deletion takes its friendships with it and marks its friends
 * just after (AccountsService): a list may name the gone account meanwhile,
 * which costs a post added to a timeline nobody reads.
 */
@inject()
export class FriendLists {
  constructor(private stores: CacheStores) {}

  async ofMany(userIds: number[]): Promise<Map<number, Int32Array>> {
    const lists = new Map<number, Int32Array>()
    if (!userIds.length) return lists
    const store = this.stores.friendLists
    // The changes before the friendships: a list read after its change is at least as new.
    const rows: { id: number; version: string }[] = await primary()
      .from('users')
      .whereIn('id', userIds)
      // Text: a 64-bit value loses its last digits as a JS number.
      .select('id', db.raw('CAST(friends_version AS CHAR) AS version'))
    const stale = new Map<number, string>()
    for (const { id, version } of rows) {
      const kept = store.get(id)
      if (kept && kept.version === version) lists.set(id, kept.ids)
      else stale.set(id, version)
    }
    store.hits += lists.size
    store.misses += stale.size
    if (!stale.size) return lists

    for (const [id, ids] of await friendIdsOfMany([...stale.keys()])) {
      const list: FriendList = { ids: Int32Array.from(ids), version: stale.get(id)! }
      // '0': no change was ever marked, so the rows may come from a bulk load
      // that marks none (a seed); read them each time rather than trust them.
      if (list.version !== '0') store.set(id, list)
      lists.set(id, list.ids)
    }
    return lists
  }
}
