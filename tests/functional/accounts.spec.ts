import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import rateLimits from '#config/rate_limits'
import OutboxEmail from '#models/outbox_email'
import { AccountTokens } from '#services/accounts/account_tokens'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, validRegistration, route } from '#tests/helpers'
import { csrfTokenOf, editPage, signInWithForm } from '#tests/session_helpers'
import { PASSWORD_IS_USERNAME } from '#validators/account'

const tokens = new AccountTokens()

async function bearer(client: any, user: User, password = FACTORY_PASSWORD) {
  const response = await client.post(route('api.auth.login')).json({ uid: user.username, password })
  response.assertStatus(200)
  return response.body().token as string
}

/** The message a form refused by a rule of its own carries back to its page. */
const formRefusal = (response: ApiResponse) =>
  (response.flashMessages().errorsBag as Record<string, string>).E_FORM_REFUSED

const outboxKinds = async (userId: number) =>
  (await OutboxEmail.query().where('userId', userId).orderBy('id')).map((email) => email.kind)

test.group('Accounts / email confirmation', (group) => {
  isolateDatabase(group)

  test('a new user is unconfirmed; /api/me says so', async ({ client, assert }) => {
    const created = await client.post(route('api.users.store')).json(validRegistration)
    created.assertStatus(201)
    assert.isFalse(created.body().email_verified)
    const user = await User.findByOrFail('username', validRegistration.username)
    const me = await client
      .get(route('api.me'))
      .bearerToken(await bearer(client, user, validRegistration.password))
    assert.isFalse(me.body().email_verified)
    // Others never see it.
    const other = await client.get(route('api.users.show', { id: user.id }))
    assert.notProperty(other.body(), 'email_verified')
  })

  test('the link confirms; a used link answers the same; bad and expired ones do not', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.apply('unverified').create()
    const token = await tokens.mint(user, 'email_confirmation')
    for (let i = 0; i < 2; i++) {
      const response = await client.get(route('verify_email', { token })).redirects(0)
      response.assertStatus(302)
      assert.equal(response.header('location'), `/users/${user.id}`)
      response.assertFlashMessage('success', 'Your email address is confirmed')
    }
    await user.refresh()
    assert.isTrue(user.emailVerified)

    // Opened in a browser signed in as someone else: it says whose address it confirmed.
    const someoneElse = await UserFactory.create()
    const opened = await client
      .get(route('verify_email', { token }))
      .loginAs(someoneElse)
      .redirects(0)
    opened.assertFlashMessage(
      'success',
      `This account's email address is confirmed (you are signed in as ${someoneElse.username})`
    )

    const bad = await client.get(route('verify_email', { token: 'not-a-real-token-at-all-000000' }))
    bad.assertStatus(400)

    const other = await UserFactory.apply('unverified').create()
    const old = await tokens.mint(other, 'email_confirmation')
    await db
      .from('account_tokens')
      .where('user_id', other.id)
      .update({
        expires_at: DateTime.utc().minus({ minutes: 1 }).toJSDate(),
      })
    const expired = await client.get(route('verify_email', { token: old }))
    expired.assertStatus(410)
    await other.refresh()
    assert.isFalse(other.emailVerified)
  })

  test('tokens are stored hashed', async ({ assert }) => {
    const user = await UserFactory.apply('unverified').create()
    const token = await tokens.mint(user, 'email_confirmation')
    const row = await db.from('account_tokens').where('user_id', user.id).firstOrFail()
    assert.notEqual(row.token_hash, token)
    assert.notInclude(JSON.stringify(row), token)
  })

  test('resend: 202 and an outbox email, 409 once confirmed, 429 past 5', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.apply('unverified').create()
    for (let i = 0; i < 5; i++) {
      const response = await client
        .post(route('api.auth.email.resend'))
        .withGuard('api')
        .loginAs(user)
      response.assertStatus(202)
    }
    const over = await client.post(route('api.auth.email.resend')).withGuard('api').loginAs(user)
    over.assertStatus(429)
    assert.lengthOf(
      (await outboxKinds(user.id)).filter((kind) => kind === 'email_confirmation'),
      5
    )

    const confirmed = await UserFactory.create()
    const response = await client
      .post(route('api.auth.email.resend'))
      .withGuard('api')
      .loginAs(confirmed)
    response.assertStatus(409)
    ;(await client.post(route('api.auth.email.resend'))).assertStatus(401)
  })
})

test.group('Accounts / email confirmation pages', (group) => {
  isolateDatabase(group)

  const resendForm = () => `action="${route('settings.email.resend')}"`

  test('registering says to check the email', async ({ client, assert }) => {
    const response = await client
      .post(route('register.store'))
      .form(validRegistration)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const notice = response.flashMessages().success as string
    assert.include(notice, `We sent a link to ${validRegistration.email}`)
    assert.include(notice, 'confirm your address')
  })

  test('an unconfirmed composer says why and offers a new link; a confirmed one does not', async ({
    client,
    assert,
  }) => {
    const unconfirmed = await UserFactory.apply('unverified').create()
    const feed = await client.get(route('feed')).loginAs(unconfirmed)
    feed.assertStatus(200)
    assert.include(feed.text(), 'Confirm your email address first')
    assert.include(feed.text(), unconfirmed.email)
    assert.include(feed.text(), resendForm())
    assert.include(feed.text(), 'Resend the confirmation email')
    const account = await client.get(route('settings.account')).loginAs(unconfirmed)
    assert.include(account.text(), resendForm())

    const confirmed = await UserFactory.create()
    const theirs = await client.get(route('feed')).loginAs(confirmed)
    assert.notInclude(theirs.text(), resendForm())
  })

  test('the resend form: back to the page with a notice and an email; refused once confirmed and past 5', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.apply('unverified').create()
    const resend = (who: User) =>
      client
        .post(route('settings.email.resend'))
        .loginAs(who)
        .withCsrfToken()
        .header('referer', route('feed'))
        .redirects(0)

    for (let i = 0; i < rateLimits.confirmationEmailsPerAccount.requests; i++) {
      const response = await resend(user)
      response.assertStatus(302)
      response.assertHeader('location', route('feed'))
      response.assertFlashMessage(
        'success',
        `A new confirmation link is on its way to ${user.email}`
      )
    }
    const over = await resend(user)
    over.assertStatus(302)
    over.assertHeader('location', route('feed'))
    assert.match(
      formRefusal(over),
      /^You can ask for 5 confirmation emails every 30 minutes: try again in \d+ minutes$/
    )
    assert.lengthOf(
      (await outboxKinds(user.id)).filter((kind) => kind === 'email_confirmation'),
      5
    )

    const confirmed = await UserFactory.create()
    const refused = await resend(confirmed)
    refused.assertStatus(302)
    assert.equal(formRefusal(refused), 'Your email address is already confirmed')
    assert.notInclude(await outboxKinds(confirmed.id), 'email_confirmation')
  })
})

test.group('Accounts / password reset', (group) => {
  isolateDatabase(group)

  test('forgot: 202 for known and unknown addresses; only the known one gets an email', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const known = await client.post(route('api.auth.password.forgot')).json({ email: user.email })
    known.assertStatus(202)
    const unknown = await client
      .post(route('api.auth.password.forgot'))
      .json({ email: 'nobody@example.com' })
    unknown.assertStatus(202)
    const bad = await client.post(route('api.auth.password.forgot')).json({ email: 'not an email' })
    bad.assertStatus(422)
    // The email is recorded after the answer.
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.include(await outboxKinds(user.id), 'password_reset')
    assert.equal(
      Number((await db.from('outbox_emails').where('kind', 'password_reset').count('* as n'))[0].n),
      1
    )
  })

  test('forgot: 429 past 20 requests from one IP, whatever the address', async ({ client }) => {
    const { requests } = rateLimits.passwordResetsPerIp
    for (let i = 0; i < requests; i++) {
      ;(
        await client.post(route('api.auth.password.forgot')).json({ email: `x${i}@example.com` })
      ).assertStatus(202)
    }
    ;(
      await client.post(route('api.auth.password.forgot')).json({ email: 'y@example.com' })
    ).assertStatus(429)
  })

  test('reset: 204, every session and token ends, single use, expires', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.merge({ username: 'lovelace_resets' }).create()
    const token = await bearer(client, user)
    const cookie = await signInWithForm(client, user)
    const reset = await tokens.mint(user, 'password_reset')

    const weak = await client
      .post(route('api.auth.password.reset'))
      .json({ token: reset, password: 'short' })
    weak.assertStatus(422)
    // The username, in any case, is refused as registration refuses it; the link stays usable.
    const username = await client
      .post(route('api.auth.password.reset'))
      .json({ token: reset, password: user.username.toUpperCase() })
    username.assertStatus(422)
    username.assertBodyContains({
      errors: [{ field: 'password', rule: 'notSameAs', message: PASSWORD_IS_USERNAME }],
    })

    const response = await client
      .post(route('api.auth.password.reset'))
      .json({ token: reset, password: 'a brand new password' })
    response.assertStatus(204)

    ;(await client.get(route('api.me')).bearerToken(token)).assertStatus(401)
    ;(await editPage(client, user, cookie)).assertStatus(302)
    const again = await client
      .post(route('api.auth.password.reset'))
      .json({ token: reset, password: 'another new password' })
    again.assertStatus(422)
    again.assertBodyContains({ errors: [{ field: 'token' }] })
    await bearer(client, user, 'a brand new password')
    assert.include(await outboxKinds(user.id), 'password_changed')

    const late = await tokens.mint(user, 'password_reset')
    await db
      .from('account_tokens')
      .whereNull('used_at')
      .update({ expires_at: DateTime.utc().minus({ hours: 1 }).toJSDate() })
    const expired = await client
      .post(route('api.auth.password.reset'))
      .json({ token: late, password: 'a third new password' })
    expired.assertStatus(422)
  })

  test('the pages: forgot form, reset form', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const page = await client.get(route('password.forgot'))
    page.assertStatus(200)
    const sent = await client
      .post(route('password.forgot.store'))
      .form({ email: user.email })
      .withCsrfToken()
      .redirects(0)
    sent.assertStatus(302)

    const reset = await tokens.mint(user, 'password_reset')
    const form = await client.get(route('password.reset', { token: reset }))
    form.assertStatus(200)
    assert.include(form.header('cache-control'), 'no-store')
    const done = await client
      .post(route('password.reset.store', { token: reset }))
      .form({ password: 'a brand new password' })
      .withCsrfToken()
      .redirects(0)
    done.assertStatus(302)
    assert.equal(done.header('location'), '/login')
    await bearer(client, user, 'a brand new password')
  })

  test('a used or bogus reset link says so at once, with a way to ask for a new one', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const used = await tokens.mint(user, 'password_reset')
    ;(
      await client
        .post(route('api.auth.password.reset'))
        .json({ token: used, password: 'a brand new password' })
    ).assertStatus(204)

    for (const token of [used, 'bogus-token-that-was-never-issued', 'x']) {
      const page = await client.get(route('password.reset', { token }))
      page.assertStatus(410)
      assert.include(page.text(), 'This reset link is not valid, was used already or has expired.')
      assert.include(page.text(), `href="${route('password.forgot')}"`)
      assert.notInclude(page.text(), 'name="password"')
      assert.include(page.header('cache-control'), 'no-store')
    }
  })
})

test.group('Accounts / change password', (group) => {
  isolateDatabase(group)

  test('PUT /api/me/password: 204; other tokens and sessions end, this token stays', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.merge({ username: 'lovelace_changes' }).create()
    const mine = await bearer(client, user)
    const other = await bearer(client, user)
    const cookie = await signInWithForm(client, user)

    const wrong = await client
      .put(route('api.me.password'))
      .bearerToken(mine)
      .json({ current_password: 'not it', password: 'a brand new password' })
    wrong.assertStatus(422)
    wrong.assertBodyContains({ errors: [{ field: 'current_password' }] })
    const username = await client
      .put(route('api.me.password'))
      .bearerToken(mine)
      .json({ current_password: FACTORY_PASSWORD, password: user.username.toUpperCase() })
    username.assertStatus(422)
    username.assertBodyContains({ errors: [{ field: 'password', rule: 'notSameAs' }] })
    const same = await client
      .put(route('api.me.password'))
      .bearerToken(mine)
      .json({ current_password: FACTORY_PASSWORD, password: FACTORY_PASSWORD })
    same.assertStatus(422)
    same.assertBodyContains({
      errors: [
        {
          field: 'password',
          rule: 'different',
          message: 'The new password is the one you have now: choose another',
        },
      ],
    })
    ;(await client.get(route('api.me')).bearerToken(other)).assertStatus(200)

    const response = await client
      .put(route('api.me.password'))
      .bearerToken(mine)
      .json({ current_password: FACTORY_PASSWORD, password: 'a brand new password' })
    response.assertStatus(204)
    ;(await client.get(route('api.me')).bearerToken(mine)).assertStatus(200)
    ;(await client.get(route('api.me')).bearerToken(other)).assertStatus(401)
    ;(await editPage(client, user, cookie)).assertStatus(302)
    assert.include(await outboxKinds(user.id), 'password_changed')
    ;(await client.put(route('api.me.password')).json({})).assertStatus(401)
  })

  test('two changes sent at once: one is answered 204 and holds, the other is refused', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.merge({ username: 'lovelace_races' }).create()
    const bearers = [await bearer(client, user), await bearer(client, user)]
    const passwords = ['the first new password', 'the second new password']
    const answers = await Promise.all(
      bearers.map((token, i) =>
        client
          .put(route('api.me.password'))
          .bearerToken(token)
          .json({ current_password: FACTORY_PASSWORD, password: passwords[i] })
      )
    )
    assert.sameMembers(
      answers.map((answer) => answer.status()),
      [204, 422]
    )
    const winner = answers.findIndex((answer) => answer.status() === 204)
    answers[1 - winner].assertBodyContains({ errors: [{ field: 'current_password' }] })
    const signIn = (password: string) =>
      client.post(route('api.auth.login')).json({ uid: user.username, password })
    ;(await signIn(passwords[winner])).assertStatus(200)
    ;(await signIn(passwords[1 - winner])).assertStatus(401)
  })

  test('the settings page keeps its own session and ends the others', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const elsewhere = await signInWithForm(client, user)
    const here = await signInWithForm(client, user)
    const csrf = await csrfTokenOf(client, user, here)

    const settings = await client
      .get(route('settings.password'))
      .withCookie('gsocial-session', here)
    settings.assertStatus(200)
    assert.include(settings.header('cache-control'), 'no-store')

    const response = await client
      .post(route('settings.password.update'))
      .withCookie('gsocial-session', here)
      .form({ _csrf: csrf, current_password: FACTORY_PASSWORD, password: 'a brand new password' })
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/settings/account')
    ;(await editPage(client, user, here)).assertStatus(200)
    ;(await editPage(client, user, elsewhere)).assertStatus(302)
  })
})

test.group('Accounts / delete', (group) => {
  isolateDatabase(group)

  test('DELETE /api/me: wrong password 422; then everything goes and the names are free', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const token = await bearer(client, user)
    const cookie = await signInWithForm(client, user)

    const wrong = await client
      .delete(route('api.me.destroy'))
      .bearerToken(token)
      .json({ password: 'nope' })
    wrong.assertStatus(422)

    const response = await client
      .delete(route('api.me.destroy'))
      .bearerToken(token)
      .json({ password: FACTORY_PASSWORD })
    response.assertStatus(204)

    assert.isNull(await User.find(user.id))
    for (const table of ['profiles', 'outbox_emails', 'account_tokens']) {
      assert.lengthOf(await db.from(table).where('user_id', user.id), 0, table)
    }
    assert.lengthOf(await db.from('auth_access_tokens').where('tokenable_id', user.id), 0)
    ;(await client.get(route('api.me')).bearerToken(token)).assertStatus(401)
    ;(await client.get(route('api.users.show', { id: user.id }))).assertStatus(404)
    ;(await editPage(client, user, cookie)).assertStatus(302)

    const again = await client.post(route('api.users.store')).json({
      ...validRegistration,
      username: user.username,
      email: user.email,
    })
    again.assertStatus(201)
  })

  test('the account page deletes with the password', async ({ client, assert }) => {
    const user = await UserFactory.create()
    const cookie = await signInWithForm(client, user)
    const page = await client.get(route('settings.account')).withCookie('gsocial-session', cookie)
    page.assertStatus(200)
    assert.include(page.text(), 'Delete my account')
    const csrf = await csrfTokenOf(client, user, cookie)
    const response = await client
      .post('/settings/account?_method=DELETE')
      .withCookie('gsocial-session', cookie)
      .form({ _csrf: csrf, password: FACTORY_PASSWORD })
      .redirects(0)
    response.assertStatus(302)
    assert.isNull(await User.find(user.id))
  })
})
