import vine from '@vinejs/vine'

/** The rule every new password follows (registration's, minus "not the username"). */
const newPassword = () => vine.string().minLength(8).maxLength(128)

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
