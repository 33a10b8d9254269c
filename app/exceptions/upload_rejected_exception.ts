import { Exception } from '@adonisjs/core/exceptions'
import string from '@adonisjs/core/helpers/string'
import type { ImageKind } from '#config/uploads'

/**
 * An upload refused for its size (413) or its content (422). It names the
 * field and the rule, so the handler renders it like a validation error:
 * in `{errors: [...]}` for the API, beside the field for a form.
 */
export default class UploadRejectedException extends Exception {
  constructor(
    message: string,
    readonly field: string,
    readonly rule: string,
    status: 413 | 422
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
}
