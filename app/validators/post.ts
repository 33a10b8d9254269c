import vine from '@vinejs/vine'
import { plainText } from '#validators/text'
import { audienceRule } from '#validators/safety'

/** Mastodon's limit. Counted after trimming, with a line break as one character. */
export const POST_TEXT_MAX_LENGTH = 500

/** A textarea sends CRLF line breaks; store and count them as LF. */
export const normalizeLineBreaks = vine.createRule((value, _, field) => {
  if (typeof value === 'string') field.mutate(value.replace(/\r\n?/g, '\n'), field)
})

/** What a person is told when a new post has neither. */
const NEEDS_TEXT_OR_IMAGE = 'Write something or add a picture'

/**
 * A post needs text or an image: text that is missing, null, or blank once
 * trimmed counts as none. Implicit, so it runs for a missing field too;
 * after the text's own rules, so it sees the trimmed text. The
 * rule is Vine's `required`, with wording of its own (app/validators/messages.ts).
 */
const textOrImage = vine.createRule(
  (value, _, field) => {
    const parent = field.parent as { image?: unknown } | undefined
    if ((value === undefined || value === null || value === '') && !parent?.image) {
      field.report(NEEDS_TEXT_OR_IMAGE, 'required', field, { wording: NEEDS_TEXT_OR_IMAGE })
    }
  },
  { implicit: true }
)

/** A post's text; blank is none (on create textOrImage refuses it without an image; on edit, the service decides). */
const textRule = () =>
  vine
    .string()
    .use(normalizeLineBreaks())
    .use(plainText({ multiline: true }))
    .trim()
    .maxLength(POST_TEXT_MAX_LENGTH)
    .transform((value): string | null => (value === '' ? null : value))

/**
 * POST /api/posts (JSON `{text}` or multipart `text` and/or `image`) and
 * the composer form. The image's size and real format are checked by the
 * PostImage service (413 and a content sniff), not by the client's name.
 */
export const createPostValidator = vine.compile(
  vine.object({
    text: textRule().nullable().optional().use(textOrImage()),
    image: vine.file().optional(),
    /** Absent: the author's `default_audience`. */
    audience: audienceRule().optional(),
  })
)

/**
 * PATCH /api/posts/:id: the text and/or the audience (the service refuses
 * neither: `requiredIfMissing` would take a null text for a missing one);
 * a post with an image may lose its text.
 */
export const updatePostValidator = vine.compile(
  vine.object({
    text: textRule().nullable().optional(),
    audience: audienceRule().optional(),
  })
)
