import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import emitter from '@adonisjs/core/services/emitter'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase, route } from '#tests/helpers'

test.group('Pages / header, footer and status pages', (group) => {
  isolateDatabase(group)

  test('an unknown page shows the signed-in header to a signed-in user', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const response = await client.get('/this-page-does-not-exist').loginAs(user)
    response.assertStatus(404)
    const html = response.text()
    assert.include(html, 'Page not found')
    assert.include(html, user.username)
    assert.include(html, 'Sign out')
    assert.notInclude(html, 'Create account')

    const guest = await client.get('/this-page-does-not-exist')
    guest.assertStatus(404)
    assert.include(guest.text(), 'Create account')
  })

  test('a bad page position in an address is a 422 page that says what is wrong', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    for (const [path, message] of [
      ['/feed?before=abc', 'The page position must be a number'],
      ['/feed?limit=0', 'The page size must be'],
      ['/notifications?before=abc', 'The page position must be a number'],
    ]) {
      const response = await client.get(path).loginAs(user).redirects(0)
      response.assertStatus(422)
      assert.include(response.text(), message, path)
      assert.notInclude(response.text(), 'could not be saved', path)
    }
    const visitor = await client.get(`/users/${user.id}?before=-1`).redirects(0)
    visitor.assertStatus(422)
  })

  test('an unknown address under any method is still a 404', async ({ client }) => {
    ;(await client.post('/this-page-does-not-exist')).assertStatus(404)
    ;(await client.head('/this-page-does-not-exist')).assertStatus(404)
    ;(await client.delete('/api/nothing-here')).assertStatus(404)
  })

  test('the catch-all routes are the last ones, so they shadow no other route', async ({
    assert,
  }) => {
    const patterns = router.toJSON().root.map((r) => r.pattern)
    assert.deepEqual(patterns.slice(-2), ['/api/*', '/*'])
  })

  test("the header shows the signed-in user's picture once uploaded", async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const before = await client.get(route('home')).loginAs(user)
    assert.match(before.text(), /class="avatar" src="\/static\/images\/default-avatar\.svg"/)

    // As the profile update use case does: save, then say so once committed.
    user.profile.profilePicture = 'profile_pics/me.webp'
    await user.profile.save()
    await emitter.emit('user.updated', { userId: user.id })
    const after = await client.get(route('home')).loginAs(user)
    assert.match(after.text(), /class="avatar" src="\/media\/profile_pics\/me\.webp"/)
  })

  test('the signed-in home points to the profile, people and friends', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const html = (await client.get(route('home')).loginAs(user)).text()
    assert.include(html, `href="/users/${user.id}"`)
    assert.include(html, 'href="/people"')
    assert.include(html, 'href="/friends"')
  })

  test('every page links the privacy page and the API documentation', async ({
    client,
    assert,
  }) => {
    const html = (await client.get(route('home'))).text()
    assert.include(html, 'href="/privacy"')
    assert.include(html, 'href="/api/docs"')

    const privacy = await client.get(route('privacy'))
    privacy.assertStatus(200)
    assert.include(privacy.text(), 'Your email address')
    assert.include(privacy.text(), 'Anyone, signed in or not')
  })

  test('the favicon and touch icon are served at the root and linked', async ({
    client,
    assert,
  }) => {
    const ico = await client.get('/favicon.ico')
    ico.assertStatus(200)
    assert.match(ico.header('content-type') ?? '', /icon/)
    for (const path of ['/apple-touch-icon.png', '/apple-touch-icon-precomposed.png']) {
      const png = await client.get(path)
      png.assertStatus(200)
      assert.equal(png.header('content-type'), 'image/png')
    }
    const html = (await client.get(route('login'))).text()
    assert.include(html, 'rel="icon" href="/static/favicon.ico"')
    assert.include(html, 'rel="apple-touch-icon" href="/static/apple-touch-icon.png"')
  })
})

test.group('404 messages name what is missing', (group) => {
  isolateDatabase(group)

  test('an unknown user', async ({ client }) => {
    const response = await client.get(route('api.users.show', { id: 9999999 }))
    response.assertStatus(404)
    response.assertBody({ errors: [{ message: 'User not found' }] })
  })

  test('an unknown profile', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client
      .patch(route('api.profiles.update', { id: 9999999 }))
      .withGuard('api')
      .loginAs(user)
      .json({ bio: 'x' })
    response.assertStatus(404)
    response.assertBody({ errors: [{ message: 'Profile not found' }] })
  })
})
