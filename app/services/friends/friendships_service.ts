import { isLockConflict, retried } from '#helpers/retried'
import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import FriendRequest from '#models/friend_request'
import {
  FriendRequestNotPendingException,
  FriendRequestRefusedException,
} from '#exceptions/friendship_exceptions'
import NotFoundException from '#exceptions/not_found_exception'
import { pageQuery, type PageRequest } from '#helpers/page'
import { SignedInUsers } from '#services/sessions/signed_in_users'
import {
  affectedRows,
  blockedBetween,
  friendIdsPage,
  friendSetsChanged,
  lockPair,
} from '#services/friends/friendship_queries'
import { hasSorted } from '#helpers/sorted_ids'

export type FriendshipState = 'none' | 'friends' | 'request_sent' | 'request_received' | 'self'

/** How a viewer stands with another user, and the pending request between them if any. */
export interface Relation {
  state: FriendshipState
  requestId: number | null
}

/**
 * The social graph's use cases. Every rule is checked here and enforced
 * again by the tables where concurrent requests could slip past a check:
 * the unique pending pair key, the friendships primary key, and conditional
 * UPDATE/DELETEs that only one of several racing requests can win.
 * Sends lock both users first, so they are serialized per user; accepts,
 * declines and cancels are single conditional statements. A deadlock or a
 * duplicate between racing requests runs the use case again.
 */
@inject()
export class FriendshipsService {
  constructor(private signedInUsers: SignedInUsers) {}

  /**
   * Sends a friend request. When the receiver had already asked the
   * sender, that request is accepted instead (`accepted: true`).
   */
  async send(senderId: number, receiverId: number) {
    if (senderId === receiverId) {
      throw new FriendRequestRefusedException(
        'You cannot send a friend request to yourself',
        'not_self'
      )
    }

    const outcome = await this.transaction(async (trx) => {
      await lockPair(senderId, receiverId, trx)
      // A block either way: the other is absent to them (a 404, as for no user).
      if (await blockedBetween(senderId, receiverId, trx)) {
        throw NotFoundException.saying('No user with this id')
      }
      const pending = await FriendRequest.query({ client: trx })
        .where('pending_pair', FriendRequest.pairKey(senderId, receiverId))
        .first()
      if (pending?.senderId === receiverId) {
        // An accept or decline racing us makes this throw: run again.
        await this.acceptPending(pending, trx, true)
        return { request: pending, accepted: true }
      }
      if (pending) {
        throw new FriendRequestRefusedException(
          'A friend request to this user is already pending',
          'already_pending'
        )
      }
      if (await this.areFriends(senderId, receiverId, trx)) {
        throw new FriendRequestRefusedException('You are already friends', 'already_friends')
      }
      const request = await FriendRequest.create(
        { senderId, receiverId, status: 'pending' },
        { client: trx }
      )
      return { request, accepted: false }
    })

    const { request, accepted } = outcome
    await emitter.emit(accepted ? 'friend_request.accepted' : 'friend_request.sent', {
      requestId: request.id,
      senderId: request.senderId,
      receiverId: request.receiverId,
    })
    return outcome
  }

  /** The receiver accepts: both friendship rows appear together, once. */
  async accept(request: FriendRequest) {
    await this.transaction(async (trx) => {
      // The pair's rows first, as every change between two people takes them.
      await lockPair(request.senderId, request.receiverId, trx)
      await this.acceptPending(request, trx)
    })
    await emitter.emit('friend_request.accepted', {
      requestId: request.id,
      senderId: request.senderId,
      receiverId: request.receiverId,
    })
    return request
  }

  /** The receiver declines. */
  async decline(request: FriendRequest) {
    const now = DateTime.utc()
    const changed = await FriendRequest.query()
      .where('id', request.id)
      .where('status', 'pending')
      .update({ status: 'declined', updated_at: now.toSQL({ includeOffset: false }) })
    if (affectedRows(changed) === 0) throw new FriendRequestNotPendingException()
    request.status = 'declined'
    request.updatedAt = now
    await emitter.emit('friend_request.declined', {
      requestId: request.id,
      senderId: request.senderId,
      receiverId: request.receiverId,
    })
    return request
  }

  /** The sender cancels: the request is gone. */
  async cancel(request: FriendRequest) {
    const deleted = await FriendRequest.query()
      .where('id', request.id)
      .where('status', 'pending')
      .delete()
    if (affectedRows(deleted) === 0) throw new FriendRequestNotPendingException()
    await emitter.emit('friend_request.cancelled', {
      requestId: request.id,
      senderId: request.senderId,
      receiverId: request.receiverId,
    })
  }

  /** Ends a friendship both ways; a 404 when they were not friends. */
  async unfriend(userId: number, friendId: number) {
    const removed = await this.transaction(async (trx) => {
      // The pair's rows first, as every change between two people takes them.
      await lockPair(userId, friendId, trx)
      const deleted = affectedRows(
        await trx
          .from('friendships')
          .where((query) => query.where('user_id', userId).where('friend_id', friendId))
          .orWhere((query) => query.where('user_id', friendId).where('friend_id', userId))
          .delete()
      )
      if (deleted) await friendSetsChanged(trx, [userId, friendId])
      return deleted
    })
    if (removed === 0) throw NotFoundException.saying('You are not friends with this user')
    await emitter.emit('friendship.ended', { userId, friendId })
  }

  /**
   * How `viewerId` stands with each of `userIds`, from the viewer's cached
   * snapshot (app/services/sessions/signed_in_users.ts): no query once it is loaded.
   * Every change between two users drops both snapshots (RelationsListener).
   */
  async relations(viewerId: number, userIds: number[]): Promise<Map<number, Relation>> {
    const relations = new Map<number, Relation>()
    const others = userIds.filter((id) => id !== viewerId)
    if (userIds.includes(viewerId)) relations.set(viewerId, { state: 'self', requestId: null })
    if (others.length === 0) return relations

    const { friends, pending } = await this.signedInUsers.relations(viewerId)
    for (const id of others) {
      const request = pending.get(id)
      if (hasSorted(friends, id)) relations.set(id, { state: 'friends', requestId: null })
      else if (request) {
        relations.set(id, {
          state: request.sent ? 'request_sent' : 'request_received',
          requestId: request.id,
        })
      } else relations.set(id, { state: 'none', requestId: null })
    }
    return relations
  }

  /** A page of pending requests to (incoming) or from (outgoing) a user. */
  pendingRequests(userId: number, direction: 'incoming' | 'outgoing', page: PageRequest) {
    const query = FriendRequest.query()
      .where(direction === 'incoming' ? 'receiver_id' : 'sender_id', userId)
      .where('status', 'pending')
    return pageQuery(query, page)
  }

  /** A page of a user's friends' ids (the friend's id is the page's key), from the primary key. */
  friendIds(userId: number, page: PageRequest) {
    return friendIdsPage(userId, page)
  }

  async relation(viewerId: number, userId: number) {
    const relations = await this.relations(viewerId, [userId])
    return relations.get(userId)!
  }

  /** Marks a pending request accepted and writes both friendship rows, in `trx`. */
  private async acceptPending(
    request: FriendRequest,
    trx: TransactionClientContract,
    retryIfGone = false
  ) {
    const now = DateTime.utc()
    const sqlNow = now.toSQL({ includeOffset: false })
    const changed = await trx
      .from('friend_requests')
      .where('id', request.id)
      .where('status', 'pending')
      // notified_at: the sender is owed a notification now (NotificationOutbox).
      .update({ status: 'accepted', updated_at: sqlNow, notified_at: null })
    if (affectedRows(changed) === 0) {
      throw retryIfGone ? new RetryTransaction() : new FriendRequestNotPendingException()
    }

    // Only the request's winner gets here; should a row exist already, the
    // primary key keeps that direction single and the statement a no-op.
    await trx.rawQuery(
      `INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?), (?, ?, ?)
       ON DUPLICATE KEY UPDATE user_id = user_id`,
      [request.senderId, request.receiverId, sqlNow, request.receiverId, request.senderId, sqlNow]
    )
    await friendSetsChanged(trx, [request.senderId, request.receiverId])
    request.status = 'accepted'
    request.updatedAt = now
  }

  private async areFriends(a: number, b: number, trx: TransactionClientContract) {
    const row = await trx
      .from('friendships')
      .where('user_id', a)
      .where('friend_id', b)
      .select('user_id')
      .first()
    return Boolean(row)
  }

  /**
   * Runs `work` in a transaction, again when MySQL reports a deadlock or a
   * duplicate that a concurrent request caused; the rules then answer from
   * the rows the winner committed (locking reads see the latest rows).
   */
  private async transaction<T>(work: (trx: TransactionClientContract) => Promise<T>) {
    try {
      return await retried(() => db.transaction(work), {
        retryable: (error) =>
          error instanceof RetryTransaction ||
          isLockConflict(error) ||
          error.code === 'ER_DUP_ENTRY',
      })
    } catch (error) {
      if (error.code === 'ER_NO_REFERENCED_ROW_2') {
        throw NotFoundException.saying('No user with this id')
      }
      throw error
    }
  }
}

/** Thrown inside a transaction whose reads a concurrent change made stale. */
class RetryTransaction extends Error {}
