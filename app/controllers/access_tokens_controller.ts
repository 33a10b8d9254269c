import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#validators/user'
import { SignIn } from '#services/sessions/sign_in'
import { isoToTheSecond } from '#helpers/stored_time'

/**
 * API sign-in and sign-out with opaque bearer tokens.
 */
export default class AccessTokensController {
  @inject()
  async store({ request, response }: HttpContext, signIn: SignIn) {
    const { uid, password } = await request.validateUsing(loginValidator)
    const user = await signIn.verify(uid, password)
    const token = await signIn.issueToken(user)

    return response.ok({
      type: 'bearer',
      token: token.value!.release(),
      expires_at: token.expiresAt ? isoToTheSecond(token.expiresAt) : null,
    })
  }

  async destroy({ auth, response }: HttpContext) {
    await auth.use('api').invalidateToken()
    return response.noContent()
  }
}
