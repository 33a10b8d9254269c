import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import db from '@adonisjs/lucid/services/db'
import { usernameSkeleton } from '#helpers/username_skeleton'
import { plainText } from '#validators/text'
import { newAccountPassword } from '#validators/account'

/**
 * Letters, digits and . + - _ — the original's rule without "@": a
 * username must never read as an email address (sign-in treats an
 * identifier with "@" as an email). Existing usernames are not renamed.
 */
const USERNAME_PATTERN = /^[\p{L}\p{N}.+\-_]+$/u

/**
 * Refuses a username that looks like one already taken: same confusable
 * skeleton (TR39). The unique index on the skeleton settles races.
 */
const notLookalike = vine.createRule(
  async (value: unknown, _options: undefined, field: FieldContext) => {
    if (typeof value !== 'string' || !field.isValid) return
    // The same username (in any case) is the unique rule's to report.
    const taken = await db
      .from('users')
      .where('username_skeleton', usernameSkeleton(value))
      .whereNot('username', value)
      .first()
    if (taken) {
      field.report('The username is too similar to an existing one', 'lookalike', field)
    }
  },
  { isAsync: true }
)

/**
 * Uniqueness is case-insensitive because the column collation is; the
 * unique index still has the last word when two requests race.
 */
export const usernameRule = () =>
  vine
    .string()
    .use(plainText())
    .trim()
    .minLength(3)
    .maxLength(150)
    .regex(USERNAME_PATTERN)
    .unique({ table: 'users', column: 'username' })
    .use(notLookalike())

export const emailRule = () =>
  vine.string().trim().maxLength(254).email().unique({ table: 'users', column: 'email' })

const nameRule = () => vine.string().use(plainText()).trim().minLength(1).maxLength(150)

export const registerValidator = vine.compile(
  vine.object({
    username: usernameRule(),
    email: emailRule(),
    first_name: nameRule(),
    last_name: nameRule(),
    password: newAccountPassword(),
  })
)

export const loginValidator = vine.compile(
  vine.object({
    uid: vine.string().trim().minLength(1).maxLength(254),
    password: vine.string().minLength(1).maxLength(128),
  })
)
