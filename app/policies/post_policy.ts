import User from '#models/user'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'

/** Anyone may read a post; only its author edits or deletes it. */
export default class PostPolicy extends BasePolicy {
  update(user: User, post: { userId: number }): AuthorizerResponse {
    return user.id === post.userId
  }

  delete(user: User, post: { userId: number }): AuthorizerResponse {
    return user.id === post.userId
  }
}
