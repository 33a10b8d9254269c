import { test } from '@japa/runner'
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

test.group('Signing in for a page asked for while signed out', (group) => {
  isolateDatabase(group)

  test('the form says why, and signing in leads to that page', async ({ client, assert }) => {
    const user = await UserFactory.create()
    // A browser's cookie jar: the session may be its id and its data (the cookie store).
    const jar = new Map<string, string>()
    const keep = <R extends { headers(): Record<string, any> }>(response: R) => {
      for (const line of [response.headers()['set-cookie'] ?? []].flat()) {
        const [pair] = String(line).split(';')
        const at = pair.indexOf('=')
        jar.set(pair.slice(0, at), pair.slice(at + 1))
      }
      return response
    }
    const cookies = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

    const asked = keep(await client.get('/notifications?before=99').redirects(0))
    asked.assertStatus(302)
    assert.match(asked.header('location') ?? '', /^\/login(\?|$)/)

    const form = keep(await client.get(route('login')).header('cookie', cookies()))
    assert.include(form.text(), 'Sign in to see that page')
    const csrf = /name='_csrf' value='([^']+)'/.exec(form.text())![1]

    const signedIn = await client
      .post(route('login.store'))
      .header('cookie', cookies())
      .form({ uid: user.username, password: FACTORY_PASSWORD, _csrf: csrf })
      .redirects(0)
    signedIn.assertStatus(302)
    assert.equal(signedIn.header('location'), '/notifications?before=99')
  })
})
