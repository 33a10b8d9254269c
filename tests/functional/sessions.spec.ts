import { test } from '@japa/runner'
import { UserFactory } from '#database/factories/user_factory'
import { COOKIE, csrfTokenOf, editPage, signInWithForm } from '#tests/session_helpers'
import { isolateDatabase } from '#tests/helpers'

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
