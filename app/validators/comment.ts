import vine from '@vinejs/vine'
import { plainText } from '#validators/text'
import { normalizeLineBreaks } from '#validators/post'

/** As long as a post may be. Counted after trimming, a line break as one character. */
export const COMMENT_TEXT_MAX_LENGTH = 500

/** POST /api/posts/:id/comments and the post page's comment form. */
export const createCommentValidator = vine.compile(
  vine.object({
    text: vine
      .string()
      .use(normalizeLineBreaks())
      .use(plainText({ multiline: true }))
      .trim()
      .minLength(1)
      .maxLength(COMMENT_TEXT_MAX_LENGTH),
  })
)
