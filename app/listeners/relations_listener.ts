import type { FriendRequestEvent, FriendshipEndedEvent } from '#events/domain_events'
import { signedInUsers } from '#services/signed_in_users'

/**
 * How two users stand with each other is cached per viewer
 * (app/services/signed_in_users.ts): any change between them drops both
 * users' snapshots on every replica, before the request that made it answers.
 */
export default class RelationsListener {
  async requestChanged({ senderId, receiverId }: FriendRequestEvent) {
    await signedInUsers.forgetRelations(senderId, receiverId)
  }

  async friendshipEnded({ userId, friendId }: FriendshipEndedEvent) {
    await signedInUsers.forgetRelations(userId, friendId)
  }
}
