import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#validators/user'
import { SignIn } from '#services/sign_in'

/**
 * Browser sign-in and sign-out with the session guard.
 */
export default class SessionsController {
  create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  @inject()
  async store({ request, auth, session, response }: HttpContext, signIn: SignIn) {
    const { uid, password } = await request.validateUsing(loginValidator)
    const user = await signIn.verify(uid, password)

    // login() regenerates the session id, so a planted id is worthless.
    await auth.use('web').login(user)
    session.flash('success', `Signed in as ${user.username}`)
    return response.redirect().toRoute('users.show', { id: user.id })
  }

  async destroy({ auth, session, response }: HttpContext) {
    await auth.use('web').logout()
    session.flash('success', 'You are signed out')
    return response.redirect().toRoute('home')
  }
}
