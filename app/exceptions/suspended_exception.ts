import { Exception } from '@adonisjs/core/exceptions'

/**
 * The account is suspended by the moderators: its right password signs
 * nobody in (403, `rule: "suspended"`) until it is unsuspended.
 */
export default class SuspendedException extends Exception {
  static status = 403
  static code = 'E_SUSPENDED'
  static message =
    'This account is suspended by the moderators; the email we sent says why and how to reach them'
  readonly rule = 'suspended'
}
