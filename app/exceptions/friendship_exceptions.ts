import { Exception } from '@adonisjs/core/exceptions'

/**
 * A friend request the rules refuse (to yourself, between friends, one
 * already pending): a 422 beside the `receiver_id` field.
 */
export class FriendRequestRefusedException extends Exception {
  static status = 422
  readonly field = 'receiver_id'

  constructor(
    message: string,
    readonly rule: 'not_self' | 'already_friends' | 'already_pending'
  ) {
    super(message, { code: 'E_FRIEND_REQUEST_REFUSED' })
  }
}

/** Accepting, declining or cancelling a request that is no longer pending. */
export class FriendRequestNotPendingException extends Exception {
  static status = 409
  static code = 'E_FRIEND_REQUEST_NOT_PENDING'
  static message = 'This friend request is no longer pending'
  readonly rule = 'not_pending'
}

/**
 * A friend request that is not there any more (cancelled by its sender, or
 * expired: `friends:expire` removes them): a 404 that says so, and on a
 * page the form's way back with the message (its `rule`), not a bare
 * "Page not found" after pressing Accept on an old notification.
 */
export class FriendRequestGoneException extends Exception {
  static status = 404
  static code = 'E_FRIEND_REQUEST_GONE'
  static message = 'This friend request is no longer there: it was cancelled or it expired'
  readonly rule = 'gone'
}
