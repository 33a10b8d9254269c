import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/user'
import { verifySignIn } from '#services/sign_in'

/**
 * API sign-in and sign-out with opaque bearer tokens.
 */
export default class AccessTokensController {
  async store({ request, response }: HttpContext) {
    const { uid, password } = await request.validateUsing(loginValidator)
    const user = await verifySignIn(uid, password)
    const token = await User.accessTokens.create(user)

    return response.ok({
      type: 'bearer',
      token: token.value!.release(),
      expires_at: token.expiresAt?.toISOString() ?? null,
    })
  }

  async destroy({ auth, response }: HttpContext) {
    await auth.use('api').invalidateToken()
    return response.noContent()
  }
}
