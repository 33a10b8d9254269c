import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#validators/user'
import { verifySignIn } from '#services/sign_in'

/**
 * Browser sign-in and sign-out with the session guard.
 */
export default class SessionsController {
  create({ view }: HttpContext) {
    return view.render('pages/auth/login')
  }

  async store({ request, auth, session, response }: HttpContext) {
    const { uid, password } = await request.validateUsing(loginValidator)
    const user = await verifySignIn(uid, password)

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
