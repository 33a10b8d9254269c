import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'

/** Mastodon's limit. Counted after trimming, with a line break as one character. */
export const POST_TEXT_MAX_LENGTH = 500

/**
 * Control characters other than tab and line breaks (C0, DEL, C1) have no
 * business in a post: they hide text or garble terminals and logs.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u

/** A textarea sends CRLF line breaks; store and count them as LF. */
const normalizeLineBreaks = vine.createRule((value, _, field) => {
  if (typeof value === 'string') field.mutate(value.replace(/\r\n?/g, '\n'), field)
})

const noControlCharacters = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && CONTROL_CHARACTERS.test(value)) {
    field.report('The {{ field }} must not contain control characters', 'controlCharacters', field)
  }
})

/** Text that is empty once trimmed counts as no text at all. */
const textRule = () =>
  vine
    .string()
    .use(normalizeLineBreaks())
    .trim()
    .maxLength(POST_TEXT_MAX_LENGTH)
    .use(noControlCharacters())
    .transform((value) => (value === '' ? null : value))

/**
 * A post needs text or an image. Reported on `text`, the field people fill.
 */
const textOrImage = vine.createRule((value, _, field) => {
  const post = value as { text?: string | null; image?: unknown }
  if (!field.isValid) return
  if ((post.text === null || post.text === undefined) && !post.image) {
    field.report(
      'Write something or add a picture',
      'required',
      childField(field, 'text') as FieldContext
    )
  }
})

function childField(field: FieldContext, name: string): FieldContext {
  const path = field.wildCardPath ? `${field.wildCardPath}.${name}` : name
  return { ...field, name, wildCardPath: path }
}

/**
 * POST /api/posts (JSON `{text}` or multipart `text` and/or `image`) and
 * the composer form. The image's size and real format are checked by the
 * PostImage service (413 and a content sniff), not by the client's name.
 */
export const createPostValidator = vine.compile(
  vine
    .object({
      text: textRule().nullable().optional(),
      image: vine.file().optional(),
    })
    .use(textOrImage())
)

/** PATCH /api/posts/:id: the text only; a post with an image may lose its text. */
export const updatePostValidator = vine.compile(
  vine.object({
    text: textRule().nullable(),
  })
)
