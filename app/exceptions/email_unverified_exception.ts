import { Exception } from '@adonisjs/core/exceptions'

/**
 * An unconfirmed account may sign in and edit its profile, but not post or
 * send friend requests until it follows the link in the welcome email.
 */
export default class EmailUnverifiedException extends Exception {
  static status = 403
  static code = 'E_EMAIL_UNVERIFIED'
  static message = 'Confirm your email address first: follow the link in the welcome email'
  readonly rule = 'email_unverified'
}
