import type { BlockEvent, FriendRequestEvent, FriendshipEndedEvent } from '#events/domain_events'
import { inject } from '@adonisjs/core'
import { CacheInvalidation } from '#cache/invalidation'

/**
 * How two users stand with each other is cached per viewer
 * (app/cache/stores.ts `relations`): any change between them drops both
 * users' snapshots on every replica, before the request that made it answers.
 */
@inject()
export default class RelationsListener {
  constructor(private invalidate: CacheInvalidation) {}

  async requestChanged({ senderId, receiverId }: FriendRequestEvent) {
    await this.invalidate.relation(senderId, receiverId)
  }

  async friendshipEnded({ userId, friendId }: FriendshipEndedEvent) {
    await this.invalidate.relation(userId, friendId)
  }

  /** Every visibility answer between them reads the snapshots: a block shows at once. */
  async blockChanged({ blockerId, blockedId }: BlockEvent) {
    await this.invalidate.relation(blockerId, blockedId)
  }
}
