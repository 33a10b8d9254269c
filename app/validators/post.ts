import vine from '@vinejs/vine'
import { plainText } from '#validators/text'

/** Mastodon's limit. Counted after trimming, with a line break as one character. */
export const POST_TEXT_MAX_LENGTH = 500

/** A textarea sends CRLF line breaks; store and count them as LF. */
export const normalizeLineBreaks = vine.createRule((value, _, field) => {
  if (typeof value === 'string') field.mutate(value.replace(/\r\n?/g, '\n'), field)
})

/**
 * A post needs text or an image: text that is blank once trimmed counts as
 * none. (Missing or null text is caught by `requiredIfMissing`.)
 */
const notBlankWithoutImage = vine.createRule((value, _, field) => {
  const parent = field.parent as { image?: unknown } | undefined
  if (value === '' && !parent?.image) {
    field.report('Write something or add a picture', 'required', field)
  }
})

/** On create, blank text without an image is refused; on edit, the service decides. */
const textRule = (options: { blankNeedsImage: boolean }) => {
  const text = vine
    .string()
    .use(normalizeLineBreaks())
    .use(plainText({ multiline: true }))
    .trim()
  if (options.blankNeedsImage) text.use(notBlankWithoutImage())
  return text
    .maxLength(POST_TEXT_MAX_LENGTH)
    .transform((value): string | null => (value === '' ? null : value))
}

/**
 * POST /api/posts (JSON `{text}` or multipart `text` and/or `image`) and
 * the composer form. The image's size and real format are checked by the
 * PostImage service (413 and a content sniff), not by the client's name.
 */
export const createPostValidator = vine.compile(
  vine.object({
    text: textRule({ blankNeedsImage: true }).nullable().optional().requiredIfMissing('image'),
    image: vine.file().optional(),
  })
)

/** PATCH /api/posts/:id: the text only; a post with an image may lose its text. */
export const updatePostValidator = vine.compile(
  vine.object({
    text: textRule({ blankNeedsImage: false }).nullable(),
  })
)
