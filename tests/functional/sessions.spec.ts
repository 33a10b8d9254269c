import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'
import type User from '#models/user'

const COOKIE = 'gsocial-session'

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

test.group('Sessions that end (Redis store)', (group) => {
  isolateDatabase(group)

  test('signing out destroys the session: a cookie copied before signs no one in', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const cookie = await signInWithForm(client, user)
    ;(await editPage(client, user, cookie)).assertStatus(200)

    const token = await csrfTokenOf(client, user, cookie)
    const out = await client
      .post('/logout')
      .withCookie(COOKIE, cookie)
      .form({ _csrf: token })
      .redirects(0)
    out.assertStatus(302)

    const copied = await editPage(client, user, cookie)
    copied.assertStatus(302)
    assert.equal(copied.header('location'), '/login')
  })

  test('each sign-in is indexed under its user', async ({ client, assert }) => {
    const { SessionCollection } = await import('@adonisjs/session')
    const app = (await import('@adonisjs/core/services/app')).default
    const user = await UserFactory.create()
    const sessions = await app.container.make(SessionCollection)
    assert.isTrue(sessions.supportsTagging())
    // Ids restart with each test database; Redis may remember an older user's.
    const before = (await sessions.tagged(String(user.id))).map((session) => session.id)
    const first = await signInWithForm(client, user)
    const second = await signInWithForm(client, user)
    const after = (await sessions.tagged(String(user.id))).map((session) => session.id)
    assert.lengthOf(after, before.length + 2)
    assert.notEqual(first, second)
  })
})
