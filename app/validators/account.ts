import vine from '@vinejs/vine'

/** What is said when a new password is the username, whichever way it is written. */
export const PASSWORD_IS_USERNAME = 'The password must not be the same as the username'

/** Whether `password` is `username` but for case: the first thing a guesser tries. */
export function isTheUsername(password: unknown, username: unknown) {
  return (
    typeof password === 'string' &&
    typeof username === 'string' &&
    password.toLowerCase() === username.toLowerCase()
  )
}

/**
 * The password differs from the `username` beside it (registration). A
 * change or a reset, where the username is the account's, is checked where
 * the account is known (AccountsService's #setPassword).
 */
const notTheUsername = vine.createRule((value, _, field) => {
  if (isTheUsername(value, field.parent.username)) {
    field.report(PASSWORD_IS_USERNAME, 'notSameAs', field, { otherField: 'username' })
  }
})

/** The rule every new password follows. */
const newPassword = () => vine.string().minLength(8).maxLength(128)

/** A new account's password: the rule, and not its username. */
export const newAccountPassword = () => newPassword().use(notTheUsername())

export const forgotPasswordValidator = vine.compile(
  vine.object({ email: vine.string().trim().maxLength(254).email() })
)

export const resetPasswordValidator = vine.compile(
  vine.object({ token: vine.string().trim().maxLength(200), password: newPassword() })
)

/** The reset form: the token is in the URL. */
export const resetPasswordFormValidator = vine.compile(vine.object({ password: newPassword() }))

export const changePasswordValidator = vine.compile(
  vine.object({
    current_password: vine.string().minLength(1).maxLength(128),
    password: newPassword(),
  })
)

export const deleteAccountValidator = vine.compile(
  vine.object({ password: vine.string().minLength(1).maxLength(128) })
)
