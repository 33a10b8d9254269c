// Callbacks given to page.evaluate run in the browser, against the DOM.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { test } from '@japa/runner'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import { validRegistration, route } from '#tests/helpers'
import { browserGroup, signIn } from '#tests/browser/helpers'

test.group('Browser / register', (group) => {
  browserGroup(group)

  test('a visitor registers through the form and lands on their profile, signed in', async ({
    visit,
    assert,
  }) => {
    const page = await visit(route('home'))
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.waitForURL('/register')

    await page.getByLabel('Username').fill(validRegistration.username)
    await page.getByLabel('Email').fill(validRegistration.email)
    await page.getByLabel('First name').fill(validRegistration.first_name)
    await page.getByLabel('Last name').fill(validRegistration.last_name)
    await page.getByLabel('Password').fill(validRegistration.password)
    await page.getByRole('button', { name: 'Create account' }).click()

    const user = await User.findByOrFail('username', validRegistration.username)
    await page.waitForURL(`/users/${user.id}`)
    await page.assertTextContains('.flash-success', 'Welcome to G-Social, Ada!')
    await page.assertTextContains('h1', 'Ada Lovelace')
    await page.assertTextContains('.username', '@ada')
    // The email shows to the owner only: proof the session is theirs.
    await page.assertTextContains('.email', validRegistration.email)
    await page.assertExists(page.getByRole('link', { name: 'Signed in as ada' }))
    await page.assertExists(page.getByRole('button', { name: 'Sign out' }))
    await page.assertExists(page.getByRole('link', { name: 'Edit profile' }))
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 0)
  })

  test('errors sit beside their fields, the first one takes the focus, input is kept', async ({
    visit,
    assert,
  }) => {
    const page = await visit(route('register'))
    await page.getByLabel('Username').fill('ada')
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByLabel('Password').fill('short')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('/register')

    await page.assertTextContains('[role=alert]', 'Please check the errors below')
    const email = page.getByLabel('Email')
    assert.equal(await email.getAttribute('aria-invalid'), 'true')
    assert.include(await email.getAttribute('aria-describedby'), 'field-email-error')
    await page.assertTextContains('#field-email-error', 'valid email')
    await page.assertTextContains('#field-first_name-error', 'first name')

    // app.js moves the keyboard to the first field in error.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'field-email')
    await page.assertInputValue('#field-username', 'ada')
    await page.assertInputValue('#field-email', 'not-an-email')
    await page.assertInputValue('#field-password', '')
    // Username was fine: it is not marked, its hint is still tied to it.
    assert.isNull(await page.getByLabel('Username').getAttribute('aria-invalid'))
    assert.equal(
      await page.getByLabel('Username').getAttribute('aria-describedby'),
      'field-username-hint'
    )
    assert.isNull(await User.findBy('username', 'ada'))
  })

  test('a form posted without its CSRF token is refused with a message', async ({
    visit,
    assert,
  }) => {
    const page = await visit(route('register'))
    await page.getByLabel('Username').fill(validRegistration.username)
    await page.getByLabel('Email').fill(validRegistration.email)
    await page.getByLabel('First name').fill(validRegistration.first_name)
    await page.getByLabel('Last name').fill(validRegistration.last_name)
    await page.getByLabel('Password').fill(validRegistration.password)
    await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.remove())
    assert.equal(await page.locator('input[name="_csrf"]').count(), 0)

    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('/register')

    await page.assertTextContains('[role=alert]', 'This form has expired')
    await page.assertInputValue('#field-username', validRegistration.username)
    await page.assertInputValue('#field-password', '')
    assert.isNull(await User.findBy('username', validRegistration.username))
    assert.equal(await page.getByRole('link', { name: /Signed in as/ }).count(), 0)
  })
})

test.group('Browser / sign in and out', (group) => {
  browserGroup(group)

  test('a wrong password shows the message and keeps the username', async ({ visit, assert }) => {
    const user = await UserFactory.create()
    const page = await visit(route('login'))
    await page.getByLabel('Username or email').fill(user.username)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('/login')

    await page.assertTextContains('[role=alert]', 'The username, email or password is not right')
    await page.assertInputValue('#field-uid', user.username)
    await page.assertInputValue('#field-password', '')
    assert.equal(await page.getByRole('link', { name: /Signed in as/ }).count(), 0)
  })

  test('signing in by email, then signing out, ends the session', async ({ visit, assert }) => {
    const user = await UserFactory.create()
    const page = await visit(route('home'))
    await signIn(page, user, user.email)
    await page.assertTextContains('.flash-success', `Signed in as ${user.username}`)

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL('/')
    await page.assertTextContains('.flash-success', 'You are signed out')
    await page.assertExists(page.getByRole('link', { name: 'Sign in' }))
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0)

    // The session is really gone, not just hidden: the edit page wants a sign-in.
    await page.goto(`/profiles/${user.profile.id}/edit`)
    await page.waitForURL('/login')
  })
})
