import { Exception } from '@adonisjs/core/exceptions'
import string from '@adonisjs/core/helpers/string'
import type { ImageKind } from '#config/uploads'

/**
 * An upload refused for its size (413) or its content (422), or a body that
 * cannot be read (400). It names the rule, and the field when it is one
 * picture's fault, so the handler renders it like a validation error:
 * in `{errors: [...]}` for the API, beside the field (else above) a form.
 */
export default class UploadRejectedException extends Exception {
  constructor(
    message: string,
    readonly field: string | undefined,
    readonly rule: string,
    status: 400 | 413 | 422
  ) {
    super(message, { status, code: 'E_UPLOAD_REJECTED' })
  }

  static tooLarge({ label, field, maxBytes }: ImageKind) {
    const limit = string.bytes.format(maxBytes)
    return new UploadRejectedException(
      `The ${label} must be at most ${limit}`,
      field,
      'file.size',
      413
    )
  }

  /**
   * Too many fields, or text fields larger than the body parser keeps
   * (config/bodyparser.ts): no picture's fault, the form's.
   */
  static tooManyFields() {
    return new UploadRejectedException(
      'The form has more fields, or longer ones, than the server accepts',
      undefined,
      'multipart',
      413
    )
  }

  /** A multipart body cut short or malformed: nothing in it can be trusted. */
  static unreadable() {
    return new UploadRejectedException(
      'The form could not be read: please send it again',
      undefined,
      'multipart',
      400
    )
  }
}
