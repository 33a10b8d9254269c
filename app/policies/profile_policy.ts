import User from '#models/user'
import Profile from '#models/profile'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'

/**
 * The Django original's IsOwner permission: only the owner may change a
 * profile.
 */
export default class ProfilePolicy extends BasePolicy {
  update(user: User, profile: Pick<Profile, 'userId'>): AuthorizerResponse {
    return user.id === profile.userId
  }
}
