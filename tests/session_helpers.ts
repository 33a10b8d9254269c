/** Browser sessions in functional tests: sign in through the form, reuse the cookie. */
import type { ApiClient } from '@japa/api-client'
import type User from '#models/user'
import { FACTORY_PASSWORD } from '#database/factories/user_factory'

export const COOKIE = 'gsocial-session'

/** Signs in through the form and returns the session cookie it set. */
export async function signInWithForm(client: ApiClient, user: User) {
  const response = await client
    .post('/login')
    .form({ uid: user.username, password: FACTORY_PASSWORD })
    .withCsrfToken()
    .redirects(0)
  response.assertStatus(302)
  const cookie = response.cookie(COOKIE)?.value
  if (!cookie) throw new Error('no session cookie after signing in')
  return cookie
}

/** A page only a signed-in user sees, read with a given session cookie. */
export async function editPage(client: ApiClient, user: User, cookie: string) {
  return client.get(`/profiles/${user.profile.id}/edit`).withCookie(COOKIE, cookie).redirects(0)
}

/** The CSRF token of the session behind the cookie, read from a form. */
export async function csrfTokenOf(client: ApiClient, user: User, cookie: string) {
  const page = await editPage(client, user, cookie)
  const token = /name='_csrf' value='([^']+)'/.exec(page.text())?.[1]
  if (!token) throw new Error('no CSRF token on the page')
  return token
}
