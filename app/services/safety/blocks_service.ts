import { retried } from '#helpers/retried'
import { Exception } from '@adonisjs/core/exceptions'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import NotFoundException from '#exceptions/not_found_exception'
import FriendRequest from '#models/friend_request'
import { pageQuery, type PageRequest } from '#helpers/page'
import { affectedRows, friendSetsChanged, lockPair } from '#services/friends/friendship_queries'

/** Blocking yourself: a 422. */
export class BlockRefusedException extends Exception {
  static status = 422
  static code = 'E_BLOCK_REFUSED'
  static message = 'You cannot block yourself'
  readonly rule = 'not_self'
}

/**
 * Blocking (Mastodon's block): one row per blocker, and it hides both
 * people from each other (app/services/safety/visibility.ts). A block ends
 * what was between them in the same transaction: the friendship either way,
 * pending requests either way and the notifications each got of the other.
 * The blocked person is not told. After commit `block.changed` drops both
 * relation snapshots on every replica, and `friendship.ended` (when they
 * were friends) takes each out of the other's feed.
 */
export class BlocksService {
  async block(blockerId: number, blockedId: number) {
    if (blockerId === blockedId) throw new BlockRefusedException()
    // A lock conflict with another change of the pair or of either user: again.
    const wereFriends = await retried(() =>
      db.transaction(async (trx) => {
        await lockPair(blockerId, blockedId, trx)
        await trx.rawQuery(
          'INSERT IGNORE INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)',
          [blockerId, blockedId, DateTime.utc().toSQL({ includeOffset: false })]
        )
        const unfriended = await trx
          .from('friendships')
          .where((query) => query.where('user_id', blockerId).where('friend_id', blockedId))
          .orWhere((query) => query.where('user_id', blockedId).where('friend_id', blockerId))
          .delete()
        await trx
          .from('friend_requests')
          .where('pending_pair', FriendRequest.pairKey(blockerId, blockedId))
          .delete()
        await trx
          .from('notifications')
          .where((query) => query.where('recipient_id', blockerId).where('actor_id', blockedId))
          .orWhere((query) => query.where('recipient_id', blockedId).where('actor_id', blockerId))
          .delete()
        const endedFriendship = affectedRows(unfriended) > 0
        if (endedFriendship) await friendSetsChanged(trx, [blockerId, blockedId])
        return endedFriendship
      })
    )

    await emitter.emit('block.changed', { blockerId, blockedId })
    if (wereFriends)
      await emitter.emit('friendship.ended', { userId: blockerId, friendId: blockedId })
  }

  /** Lifts the viewer's own block (a block the other made stays); 204 when there was none. */
  async unblock(blockerId: number, blockedId: number) {
    const exists = await db
      .query({ mode: 'write' })
      .from('users')
      .where('id', blockedId)
      .select('id')
      .first()
    if (!exists) throw NotFoundException.saying('No user with this id')
    await db.from('blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).delete()
    await emitter.emit('block.changed', { blockerId, blockedId })
  }

  /** A page of the ids of the people user `blockerId` blocked (the blocked id is the page's key). */
  blockedIds(blockerId: number, page: PageRequest): Promise<{ id: number }[]> {
    const query = db.from('blocks').where('blocker_id', blockerId).select('blocked_id as id')
    return pageQuery(query, page, 'blocked_id')
  }
}
