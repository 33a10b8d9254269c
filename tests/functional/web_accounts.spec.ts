import { test } from '@japa/runner'
import drive from '@adonisjs/drive/services/main'
import User from '#models/user'
import Profile from '#models/profile'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, jpegWithExif, validRegistration, route } from '#tests/helpers'

test.group('Web / register', (group) => {
  isolateDatabase(group)

  test('the form carries a CSRF token and labelled fields', async ({ client, assert }) => {
    const response = await client.get(route('register'))
    response.assertStatus(200)
    const html = response.text()
    assert.match(html, /name=['"]_csrf['"] value=['"][^'"]+['"]/)
    for (const field of ['username', 'email', 'first_name', 'last_name', 'password']) {
      assert.include(html, `<label for="field-${field}">`)
    }
  })

  test('success signs the user in and redirects to their profile', async ({ client, assert }) => {
    const response = await client
      .post(route('register.store'))
      .form(validRegistration)
      .withCsrfToken()
      .redirects(0)

    const user = await User.findByOrFail('username', 'ada')
    response.assertStatus(302)
    response.assertHeader('location', route('users.show', { id: user.id }))
    assert.match(response.session().auth_web, new RegExp(`^${user.id}\\.`))
    response.assertFlashMessage('success')
    assert.isNotNull(await Profile.findBy('userId', user.id))
  })

  test('failure redirects back with messages and old input, never the password', async ({
    client,
  }) => {
    const response = await client
      .post(route('register.store'))
      .header('referer', route('register'))
      .form({ ...validRegistration, email: 'nope' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', route('register'))
    response.assertHasValidationError('email')
    response.assertDoesNotHaveValidationError('username')
    response.assertFlashMessage('username', 'ada')
    response.assertFlashMissing('password')
  })

  test('a form posted without its CSRF token is refused', async ({ client, assert }) => {
    const response = await client.post(route('register.store')).form(validRegistration).redirects(0)
    assert.notEqual(response.status(), 200)
    assert.isNull(await User.findBy('username', 'ada'))
  })
})

test.group('Web / sign in and out', (group) => {
  isolateDatabase(group)

  test('signs in with the username and lands on the feed', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('login.store'))
      .form({ uid: user.username, password: FACTORY_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('feed'))
    assert.match(response.session().auth_web, new RegExp(`^${user.id}\\.`))
  })

  test('a wrong password flashes one message and keeps the username', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client
      .post(route('login.store'))
      .header('referer', route('login'))
      .form({ uid: user.username, password: 'wrong password' })
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('login'))
    response.assertSessionMissing('auth_web')
    response.assertFlashMessage('errorsBag', {
      E_INVALID_CREDENTIALS: 'The username, email or password is not right',
    })
    response.assertFlashMessage('uid', user.username)
    response.assertFlashMissing('password')
  })

  test('sign out ends the session', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client.post(route('logout')).loginAs(user).withCsrfToken().redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('home'))
    response.assertSessionMissing('auth_web')
  })

  test('signed-in users are sent away from the sign-in page', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client.get(route('login')).loginAs(user).redirects(0)
    response.assertStatus(302)
  })
})

test.group('Web / profile pages', (group) => {
  isolateDatabase(group)
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('a visitor sees names, username and bio but not the email', async ({ client, assert }) => {
    const user = await UserFactory.create()
    user.profile.bio = 'I write <b>programs</b>'
    await user.profile.save()

    const response = await client.get(route('users.show', { id: user.id }))
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, user.username)
    assert.include(html, user.firstName)
    assert.include(html, 'I write &lt;b&gt;programs&lt;/b&gt;')
    assert.notInclude(html, user.email)
    assert.notInclude(html, 'Edit profile')
  })

  test('the owner sees their email and the edit link', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client.get(route('users.show', { id: user.id })).loginAs(user)
    assert.include(response.text(), user.email)
    assert.include(response.text(), `/profiles/${user.profile.id}/edit`)
  })

  test('an unknown user is the 404 page', async ({ client, assert }) => {
    const response = await client.get(route('users.show', { id: 987654 }))
    response.assertStatus(404)
    assert.include(response.text(), 'Page not found')
  })

  test('the owner opens the edit form; others get the 403 page', async ({ client, assert }) => {
    const [owner, other] = await UserFactory.createMany(2)
    const mine = await client.get(route('profiles.edit', { id: owner.profile.id })).loginAs(owner)
    mine.assertStatus(200)
    assert.include(mine.text(), 'enctype="multipart/form-data"')

    const theirs = await client.get(route('profiles.edit', { id: owner.profile.id })).loginAs(other)
    theirs.assertStatus(403)
    assert.include(theirs.text(), "You can't do that")
  })

  test('a guest is sent to the sign-in page', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client.get(route('profiles.edit', { id: user.profile.id })).redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('login'))
  })

  test('the owner updates bio and picture through the form', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const response = await client
      .put(route('profiles.update', { id: user.profile.id }))
      .loginAs(user)
      .withCsrfToken()
      .field('bio', 'New bio')
      .file('profile_picture', await jpegWithExif(), { filename: 'me.jpg' })
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', route('users.show', { id: user.id }))
    response.assertFlashMessage('success')
    const profile = await Profile.findOrFail(user.profile.id)
    assert.equal(profile.bio, 'New bio')
    assert.match(profile.profilePicture!, /^profile_pics\/.+\.webp$/)
  })

  test('a bad picture goes back to the form with the message', async ({ client }) => {
    const user = await UserFactory.create()
    const response = await client
      .put(route('profiles.update', { id: user.profile.id }))
      .header('referer', route('profiles.edit', { id: user.profile.id }))
      .loginAs(user)
      .withCsrfToken()
      .file('profile_picture', Buffer.from('not an image'), { filename: 'me.png' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', route('profiles.edit', { id: user.profile.id }))
    response.assertHasValidationError('profile_picture')
  })

  test('another user cannot update the profile', async ({ client, assert }) => {
    const [owner, other] = await UserFactory.createMany(2)
    const response = await client
      .put(route('profiles.update', { id: owner.profile.id }))
      .loginAs(other)
      .withCsrfToken()
      .field('bio', 'hacked')
    response.assertStatus(403)
    assert.equal((await Profile.findOrFail(owner.profile.id)).bio, '')
  })
})
