import vine from '@vinejs/vine'

/** Letters, digits and @ . + - _ — the original's rule. */
const USERNAME_PATTERN = /^[\p{L}\p{N}@.+\-_]+$/u

/**
 * Uniqueness is case-insensitive because the column collation is; the
 * unique index still has the last word when two requests race.
 */
export const usernameRule = () =>
  vine
    .string()
    .trim()
    .minLength(3)
    .maxLength(150)
    .regex(USERNAME_PATTERN)
    .unique({ table: 'users', column: 'username' })

export const emailRule = () =>
  vine.string().trim().maxLength(254).email().unique({ table: 'users', column: 'email' })

const nameRule = () => vine.string().trim().minLength(1).maxLength(150)

export const registerValidator = vine.compile(
  vine.object({
    username: usernameRule(),
    email: emailRule(),
    first_name: nameRule(),
    last_name: nameRule(),
    password: vine.string().minLength(8).maxLength(128).notSameAs('username'),
  })
)

export const loginValidator = vine.compile(
  vine.object({
    uid: vine.string().trim().minLength(1).maxLength(254),
    password: vine.string().minLength(1).maxLength(128),
  })
)
