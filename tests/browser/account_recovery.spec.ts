import { test } from '@japa/runner'
import User from '#models/user'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { browserGroup, signIn } from '#tests/browser/helpers'
import { linkIn } from '#tests/integration/helpers/smtp_sink'
import { withMailPipeline } from '#tests/integration/helpers/worker'
import { route } from '#tests/helpers'

const NEW_PASSWORD = 'a brand new passphrase'

test.group('Browser / forgotten password', (group) => {
  browserGroup(group)
  // The email travels the production way: outbox, job, RPC, SMTP.
  const pipeline = withMailPipeline(group)

  test('forgot → the emailed link → a new password → sign in with it', async ({
    visit,
    assert,
  }) => {
    const user = await UserFactory.create()
    const page = await visit(route('login'))
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL('/forgot-password')
    await page.getByLabel('Email').fill(user.email)
    await page.getByRole('button', { name: 'Send me a link' }).click()
    await page.waitForURL('/login')
    await page.assertTextContains('.flash-success', 'an email with a link is on its way')

    const email = await pipeline.sink.waitFor(user.email, 'Reset your G-Social password')
    assert.match(email.text!, new RegExp(`^Hello ${user.username},`))
    const link = linkIn(email, '/reset-password/')
    await page.goto(link)
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page.waitForURL('/login')
    await page.assertTextContains('.flash-success', 'Your password is changed')

    // The old password is refused, the new one signs in.
    await page.getByLabel('Username or email').fill(user.username)
    await page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('/login')
    await page.assertTextContains('[role=alert]', 'The username, email or password is not right')
    await page.getByLabel('Password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('/feed')
    await page.assertTextContains('.flash-success', `Signed in as ${user.username}`)

    await pipeline.sink.waitFor(user.email, 'Your G-Social password changed')

    // The link was single use: its page says so at once, with no form to fill in vain.
    await page.goto(link)
    await page.assertTextContains('main', 'not valid, was used already or has expired')
    await page.assertNotExists(page.getByLabel('New password'))
    await page.assertExists(page.getByRole('link', { name: 'Ask for a new link' }))
    assert.isTrue(await (await User.findOrFail(user.id)).verifyPassword(NEW_PASSWORD))
  })
})

test.group('Browser / account deletion', (group) => {
  browserGroup(group)

  test('deleting from /settings/account asks the password, then the account is gone', async ({
    visit,
    assert,
  }) => {
    const user = await UserFactory.create()
    const page = await visit(route('login'))
    await signIn(page, user)
    await page.goto(`/users/${user.id}`)
    await page.getByRole('link', { name: 'Account settings' }).click()
    await page.waitForURL('/settings/account')

    await page.getByLabel('Your password').fill('not the password')
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.waitForURL('/settings/account')
    await page.assertTextContains('#field-password-error', 'The password is not right')
    assert.isNotNull(await User.find(user.id))

    await page.getByLabel('Your password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Delete my account' }).click()
    await page.waitForURL('/')
    await page.assertTextContains('.flash-success', 'Your account is deleted')
    await page.assertExists(page.getByRole('link', { name: 'Sign in' }))
    assert.isNull(await User.find(user.id))

    await page.goto('/login')
    await page.getByLabel('Username or email').fill(user.username)
    await page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('/login')
    await page.assertTextContains('[role=alert]', 'The username, email or password is not right')

    const profile = await page.goto(`/users/${user.id}`)
    assert.equal(profile?.status(), 404)
  })
})
