import { Exception } from '@adonisjs/core/exceptions'

/**
 * A refusal that belongs beside a field (a wrong current password, a used
 * reset link): rendered like a validation error, `{errors: [{message,
 * field, rule}]}` for the API and beside the field for a form.
 */
export class FieldRefusedException extends Exception {
  constructor(
    message: string,
    readonly field: string,
    readonly rule: string
  ) {
    super(message, { status: 422, code: 'E_FIELD_REFUSED' })
  }
}

/** The address is confirmed already: nothing to resend (409). */
export class AlreadyConfirmedException extends Exception {
  constructor() {
    super('Your email address is already confirmed', {
      status: 409,
      code: 'E_ALREADY_CONFIRMED',
    })
  }
  readonly rule = 'already_confirmed'
}
