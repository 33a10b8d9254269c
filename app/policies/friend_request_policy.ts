import User from '#models/user'
import type FriendRequest from '#models/friend_request'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'

type Parties = Pick<FriendRequest, 'senderId' | 'receiverId'>

/**
 * Who may act on a friend request: the receiver answers it, the sender
 * takes it back. (The Django original let anyone accept anyone's.)
 */
export default class FriendRequestPolicy extends BasePolicy {
  accept(user: User, request: Parties): AuthorizerResponse {
    return user.id === request.receiverId
  }

  decline(user: User, request: Parties): AuthorizerResponse {
    return user.id === request.receiverId
  }

  cancel(user: User, request: Parties): AuthorizerResponse {
    return user.id === request.senderId
  }
}
