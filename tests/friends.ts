import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import FriendRequest, { type FriendRequestStatus } from '#models/friend_request'
import type User from '#models/user'
import { CacheStores } from '#cache/stores'
import { befriend as befriendPairs } from '#tests/feed_graph'

/** Makes two users friends the way the service does: one row per direction. */
export function befriend(a: User, b: User) {
  return befriendPairs([[a.id, b.id]])
}

/**
 * After friendship rows written by hand: what the friendships service's
 * invalidation does for the users it changed (this process's kept relations
 * dropped), or what the relations' one-minute life does after an operator's SQL.
 */
export async function forgetRelations() {
  const stores = await app.container.make(CacheStores)
  stores.relations.clear()
}

/** The friendship rows between two users, either direction. */
export function friendshipRows(a: User, b: User) {
  return db
    .from('friendships')
    .where((q) => q.where('user_id', a.id).where('friend_id', b.id))
    .orWhere((q) => q.where('user_id', b.id).where('friend_id', a.id))
}

/** A friend request from `sender` to `receiver`, pending unless told. */
export function requestBetween(
  sender: User,
  receiver: User,
  status: FriendRequestStatus = 'pending'
) {
  return FriendRequest.create({ senderId: sender.id, receiverId: receiver.id, status })
}
