import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/**
 * Characters no text field accepts: C0 and C1 controls (ESC starts the
 * terminal sequences that reached the admin's screen through the
 * commands), DEL, line/paragraph separators, and the bidi overrides and
 * isolates that make text read backwards. Multi-line fields (a bio, a
 * post) keep tab, line feed and carriage return.
 */
const BIDI_AND_SEPARATORS = '\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069'
const SINGLE_LINE = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${BIDI_AND_SEPARATORS}]`, 'u')
const MULTI_LINE = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${BIDI_AND_SEPARATORS}]`,
  'u'
)

/** `.use(noControlCharacters())` on every text field; `{ multiline: true }` for long text. */
export const noControlCharacters = vine.createRule(
  (value: unknown, options: { multiline?: boolean } | undefined, field: FieldContext) => {
    if (typeof value !== 'string') return
    if ((options?.multiline ? MULTI_LINE : SINGLE_LINE).test(value)) {
      field.report(
        'The {{ field }} must not contain control characters',
        'controlCharacters',
        field
      )
    }
  }
)
