import vine from '@vinejs/vine'
import { plainText } from '#validators/text'

export const BIO_MAX_LENGTH = 500

/**
 * The picture's size and real format are checked by the ProfilePicture
 * service (413 and a content sniff), not by the client's file name.
 */
export const updateProfileValidator = vine.compile(
  vine.object({
    bio: vine
      .string()
      .use(plainText({ multiline: true }))
      .trim()
      .maxLength(BIO_MAX_LENGTH)
      .nullable()
      .optional(),
    profile_picture: vine.file().optional(),
  })
)
