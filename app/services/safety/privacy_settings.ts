import emitter from '@adonisjs/core/services/emitter'
import type User from '#models/user'
import type { Audience } from '#models/user'

export interface PrivacyChanges {
  default_audience?: Audience
  friends_visible?: Audience
}

/**
 * Who sees what a user shares by default: the audience of their new posts
 * and of their friend list. `user.updated` follows the commit, so every
 * replica drops the user's cached data (friend list visibility is part of it).
 */
export class PrivacySettings {
  async update(user: User, changes: PrivacyChanges) {
    if (changes.default_audience) user.defaultAudience = changes.default_audience
    if (changes.friends_visible) user.friendsVisible = changes.friends_visible
    if (!user.$isDirty) return user
    await user.save()
    await emitter.emit('user.updated', { userId: user.id })
    return user
  }
}
