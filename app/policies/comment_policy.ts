import User from '#models/user'
import { BasePolicy } from '@adonisjs/bouncer'
import type { AuthorizerResponse } from '@adonisjs/bouncer/types'

/** A comment is removed by whoever wrote it, or by the author of the post it is under. */
export default class CommentPolicy extends BasePolicy {
  delete(user: User, comment: { userId: number }, postAuthorId: number): AuthorizerResponse {
    return user.id === comment.userId || user.id === postAuthorId
  }
}
