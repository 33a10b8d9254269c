import vine, { errors as vineErrors } from '@vinejs/vine'
import { wholeNumber } from '#validators/numbers'
import { plainText } from '#validators/text'
import { normalizeLineBreaks } from '#validators/post'
import { REPORT_REASONS, type ReportTarget } from '#models/report'

export const REPORT_NOTE_MAX_LENGTH = 1000

const targetId = () => wholeNumber().min(1).max(Number.MAX_SAFE_INTEGER)

/**
 * POST /api/reports and the report forms: what is reported (exactly one of
 * the ids: `reportedTarget` checks), why, and an optional note.
 */
export const createReportValidator = vine.compile(
  vine.object({
    post_id: targetId().optional(),
    comment_id: targetId().optional(),
    user_id: targetId().optional(),
    reason: vine.enum(REPORT_REASONS),
    note: vine
      .string()
      .use(normalizeLineBreaks())
      .use(plainText({ multiline: true }))
      .trim()
      .maxLength(REPORT_NOTE_MAX_LENGTH)
      .nullable()
      .optional(),
  })
)

type ReportInput = Partial<Record<`${ReportTarget}_id`, number>>

const TARGET_FIELDS = { post: 'post_id', comment: 'comment_id', user: 'user_id' } as const

/** The one thing a report names, or a 422 when it names none or several. */
export function reportedTarget(input: ReportInput): { type: ReportTarget; id: number } {
  const named = Object.entries(TARGET_FIELDS).filter(([, field]) => input[field] !== undefined)
  if (named.length !== 1) {
    const fields = Object.values(TARGET_FIELDS).join(', ')
    throw new vineErrors.E_VALIDATION_ERROR([
      {
        message: `Report one thing: give exactly one of ${fields}`,
        field: named[0]?.[1] ?? TARGET_FIELDS.post,
        rule: 'exactlyOne',
      },
    ])
  }
  const [type, field] = named[0] as [keyof typeof TARGET_FIELDS, string]
  return { type, id: input[field as keyof ReportInput]! }
}
