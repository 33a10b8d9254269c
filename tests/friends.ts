import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import FriendRequest, { type FriendRequestStatus } from '#models/friend_request'
import type User from '#models/user'
import { CacheStores } from '#cache/stores'
import { primary } from '#helpers/primary'
import { friendSetsChanged } from '#services/friends/friendship_queries'

/** Makes two users friends the way the service does: one row per direction. */
export async function befriend(a: User, b: User) {
  const now = new Date()
  await db.table('friendships').multiInsert([
    { user_id: a.id, friend_id: b.id, created_at: now },
    { user_id: b.id, friend_id: a.id, created_at: now },
  ])
  await friendSetsChanged(primary(), [a.id, b.id])
  await forgetRelations()
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
