import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { COOKIE, csrfTokenOf, editPage, signInWithForm } from '#tests/session_helpers'
import { isolateDatabase, route } from '#tests/helpers'
import { requestBetween } from '#tests/friends'

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
      .post(route('logout'))
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

test.group("Sessions beside a page's script", (group) => {
  isolateDatabase(group)

  test('the badge and the stream read the session: the flash a form post stored waits for its page', async ({
    client,
    assert,
  }) => {
    const [ada, bob] = await UserFactory.createMany(2)
    const request = await requestBetween(ada, bob)
    const cookie = await signInWithForm(client, bob)
    const token = await csrfTokenOf(client, bob, cookie)

    const accept = await client
      .post(route('friend_requests.accept', { id: request.id }))
      .withCookie(COOKIE, cookie)
      .form({ _csrf: token })
      .redirects(0)
    accept.assertStatus(302)

    // The old page's script, answered before the redirect's page is asked for.
    const badge = await client
      .get(route('notifications.badge'))
      .withCookie(COOKIE, cookie)
      .header('accept', 'application/json')
    badge.assertStatus(200)
    await client
      .post(route('transmit.unsubscribe'))
      .withCookie(COOKIE, cookie)
      .header('x-csrf-token', token)
      .json({ uid: `u${bob.id}-00000000-0000-4000-8000-000000000000`, channel: 'x' })

    const friends = await client.get(route('friends')).withCookie(COOKIE, cookie).redirects(0)
    friends.assertStatus(200)
    assert.include(friends.text(), 'You are now friends')
  })
})

/** A browser's cookie jar: the session may be its id and its data (the cookie store). */
function cookieJar() {
  const jar = new Map<string, string>()
  return {
    keep<R extends { headers(): Record<string, any> }>(response: R) {
      for (const line of [response.headers()['set-cookie'] ?? []].flat()) {
        const [pair] = String(line).split(';')
        const at = pair.indexOf('=')
        jar.set(pair.slice(0, at), pair.slice(at + 1))
      }
      return response
    },
    header: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
  }
}

test.group('Signing in for a page asked for while signed out', (group) => {
  isolateDatabase(group)

  /** Asks for `path` signed out, then signs in through the form: where it leads. */
  async function signInAfterAsking(client: ApiClient, path: string) {
    const user = await UserFactory.create()
    const jar = cookieJar()
    const asked = jar.keep(await client.get(path).redirects(0))
    asked.assertStatus(302)
    const form = jar.keep(await client.get(route('login')).header('cookie', jar.header()))
    const csrf = /name='_csrf' value='([^']+)'/.exec(form.text())![1]
    const signedIn = await client
      .post(route('login.store'))
      .header('cookie', jar.header())
      .form({ uid: user.username, password: FACTORY_PASSWORD, _csrf: csrf })
      .redirects(0)
    signedIn.assertStatus(302)
    return { asked, form, location: signedIn.header('location') }
  }

  test('the form says why, and signing in leads to that page', async ({ client, assert }) => {
    const { asked, form, location } = await signInAfterAsking(client, '/notifications?before=99')
    assert.match(asked.header('location') ?? '', /^\/login(\?|$)/)
    assert.include(form.text(), 'Sign in to see that page')
    assert.equal(location, '/notifications?before=99')
  })

  test('an address too long to keep in the session leads to the feed', async ({
    client,
    assert,
  }) => {
    const { location } = await signInAfterAsking(client, `/notifications?q=${'x'.repeat(600)}`)
    assert.equal(location, route('feed'))
  })

  test('a script asking for JSON gets its 401, and no notice waits for the next page', async ({
    client,
    assert,
  }) => {
    const jar = cookieJar()
    const asked = jar.keep(await client.get('/notifications').accept('json').redirects(0))
    asked.assertStatus(401)
    const form = await client.get(route('login')).header('cookie', jar.header())
    assert.notInclude(form.text(), 'Sign in to see that page')
  })
})
