/**
 * The account holes of the review that opened the site to strangers
 * (issue 25, points 5 to 9), each as a test named after it: every one of
 * them failed before its fix.
 */
import { test } from '@japa/runner'
import type { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import type User from '#models/user'
import OutboxEmail from '#models/outbox_email'
import { AccountsService } from '#services/accounts/accounts_service'
import { AccountTokens } from '#services/accounts/account_tokens'
import { MailOutbox } from '#services/accounts/mail_outbox'
import { CacheInvalidation } from '#cache/invalidation'
import { SignIn } from '#services/sessions/sign_in'
import { ReadRouting } from '#services/database/read_routing'
import { WebSessions } from '#services/sessions/web_sessions'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import { isolateDatabase, route, validRegistration } from '#tests/helpers'
import { COOKIE, csrfTokenOf, editPage } from '#tests/session_helpers'

const tokens = new AccountTokens()
const NEW_PASSWORD = 'a brand new password'

/** The account service, keeping each reset request's work so a test can wait for it. */
class TrackedAccounts extends AccountsService {
  pending: Promise<unknown>[] = []

  requestPasswordReset(email: string) {
    const work = super.requestPasswordReset(email)
    this.pending.push(work)
    return work
  }
}

/**
 * A sign-in stopped right after its credential check until released: the
 * race with a password change, played in a fixed order. Resolves once the
 * check has passed.
 */
async function heldSignIn(send: () => PromiseLike<ApiResponse>) {
  let checked!: () => void
  let release!: () => void
  const passed = new Promise<void>((resolve) => (checked = resolve))
  const released = new Promise<void>((resolve) => (release = resolve))
  class HeldSignIn extends SignIn {
    async verify(uid: string, password: string) {
      const user = await super.verify(uid, password)
      checked()
      await released
      return user
    }
  }
  app.container.swap(SignIn, async (resolver) => new HeldSignIn(await resolver.make(ReadRouting)))
  // A request is sent when something awaits it: this async function does.
  const response = (async () => send())()
  await passed
  return {
    response,
    release() {
      app.container.restore(SignIn)
      release()
    },
  }
}

/** A signed-in API call, as `user`. */
const asApi = (request: ApiRequest, user: User) => request.withGuard('api').loginAs(user)

const resetPassword = (client: ApiClient, token: string, password: string) =>
  client.post(route('api.auth.password.reset')).json({ token, password })
const apiSignIn = (client: ApiClient, user: User, password: string) =>
  client.post(route('api.auth.login')).json({ uid: user.username, password })
const browserSignIn = (client: ApiClient, user: User, password: string) =>
  client
    .post(route('login.store'))
    .form({ uid: user.username, password })
    .withCsrfToken()
    .redirects(0)

/** Changes the password through the API, with a token of its own. */
async function changePassword(client: ApiClient, user: User) {
  const response = await asApi(client.put(route('api.me.password')), user).json({
    current_password: FACTORY_PASSWORD,
    password: NEW_PASSWORD,
  })
  response.assertStatus(204)
}

/** Polls a condition (every 50 ms, up to a minute): for states other requests reach. */
async function waitFor(condition: () => Promise<boolean>) {
  const deadline = Date.now() + 60_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition never held')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Whether another connection of this test database is running a statement
 * on the users or their tokens (the server is shared: other databases do
 * not count). While a change holds those rows, such a statement waits.
 * (PROCESSLIST, not INNODB_TRX: MariaDB does not always list the waiting
 * transaction there.)
 */
async function statementOnUsersRunning() {
  const [rows] = await db.rawQuery(
    `SELECT INFO AS query FROM information_schema.PROCESSLIST
      WHERE DB = DATABASE() AND COMMAND = 'Query' AND ID <> CONNECTION_ID()`
  )
  return rows.some((row: { query: string | null }) =>
    /`(users|auth_access_tokens)`/.test(row.query ?? '')
  )
}

const resetEmails = async (userId: number) =>
  (await OutboxEmail.query().where('userId', userId).where('kind', 'password_reset')).length

test.group('Hole 5 (issue 25): the reset limit is keyed by the account', (group) => {
  isolateDatabase(group)
  group.each.teardown(() => app.container.restore(AccountsService))

  test('hole 5: accented and cased spellings of one address share 5 reset emails', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.merge({ email: 'jose@example.com' }).create()
    const accounts = new TrackedAccounts(
      new MailOutbox(),
      tokens,
      await app.container.make(WebSessions),
      await app.container.make(CacheInvalidation)
    )
    app.container.swap(AccountsService, () => accounts)

    // Two of each: under the old per-string limit none of them reached 5.
    const spellings = [
      'jose@example.com',
      'JOSE@example.com',
      'josé@example.com',
      'jósÉ@example.com',
    ]
    for (const email of [...spellings, ...spellings]) {
      const response = await client.post(route('api.auth.password.forgot')).json({ email })
      // Beyond the limit the answer is the same: nothing tells.
      response.assertStatus(202)
    }
    await Promise.all(accounts.pending)
    assert.equal(await resetEmails(user.id), 5)
  })
})

test.group('Hole 6 (issue 25): a password change voids earlier reset links', (group) => {
  isolateDatabase(group)

  test('hole 6: a reset link issued before a password change no longer works', async ({
    client,
  }) => {
    const user = await UserFactory.create()
    const link = await tokens.mint(user, 'password_reset')
    await changePassword(client, user)

    const response = await resetPassword(client, link, 'someone else’s password')
    response.assertStatus(422)
    response.assertBodyContains({ errors: [{ field: 'token' }] })
    ;(await apiSignIn(client, user, NEW_PASSWORD)).assertStatus(200)
  })

  test('a reset voids the other outstanding links', async ({ client }) => {
    const user = await UserFactory.create()
    const first = await tokens.mint(user, 'password_reset')
    const second = await tokens.mint(user, 'password_reset')
    ;(await resetPassword(client, second, NEW_PASSWORD)).assertStatus(204)
    const response = await resetPassword(client, first, 'another new password')
    response.assertStatus(422)
  })
})

test.group('Hole 7 (issue 25): a sign-in racing a password change', (group) => {
  isolateDatabase(group)
  group.each.teardown(() => app.container.restore(SignIn))

  test('hole 7: an API sign-in checked with the old password gets no token after the change', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const signingIn = await heldSignIn(() => apiSignIn(client, user, FACTORY_PASSWORD))
    await changePassword(client, user)
    signingIn.release()

    const response = await signingIn.response
    response.assertStatus(401)
    // Only the token that made the change is left.
    const left = await db.from('auth_access_tokens').where('tokenable_id', user.id).count('* as n')
    assert.equal(Number(left[0].n), 1)
  })

  test('hole 7: a browser session signed in with the old password is refused after the change', async ({
    client,
  }) => {
    const user = await UserFactory.create()
    const signingIn = await heldSignIn(() => browserSignIn(client, user, FACTORY_PASSWORD))
    await changePassword(client, user)
    signingIn.release()

    // The sign-in answers as usual, but its session names no one.
    const response = await signingIn.response
    response.assertStatus(302)
    const page = await editPage(client, user, response.cookie(COOKIE)!.value)
    page.assertStatus(302)
    page.assertHeader('location', route('login'))

    // The new password signs in as ever.
    const fresh = await browserSignIn(client, user, NEW_PASSWORD)
    ;(await editPage(client, user, fresh.cookie(COOKIE)!.value)).assertStatus(200)
  })

  test('a sign-in racing the deletion of its account answers 401, not 500', async ({ client }) => {
    const user = await UserFactory.create()
    const signingIn = await heldSignIn(() => apiSignIn(client, user, FACTORY_PASSWORD))
    const deleted = await asApi(client.delete(route('api.me.destroy')), user).json({
      password: FACTORY_PASSWORD,
    })
    deleted.assertStatus(204)
    signingIn.release()
    ;(await signingIn.response).assertStatus(401)
  })

  test('the browser that changes its password stays signed in; the others do not', async ({
    client,
  }) => {
    const user = await UserFactory.create()
    const signIn = () => browserSignIn(client, user, FACTORY_PASSWORD)
    const mine = (await signIn()).cookie(COOKIE)!.value
    const other = (await signIn()).cookie(COOKIE)!.value

    const changed = await client
      .post(route('settings.password.update'))
      .withCookie(COOKIE, mine)
      .form({
        current_password: FACTORY_PASSWORD,
        password: NEW_PASSWORD,
        _csrf: await csrfTokenOf(client, user, mine),
      })
      .redirects(0)
    changed.assertStatus(302)
    const renewed = changed.cookie(COOKIE)?.value ?? mine
    ;(await editPage(client, user, renewed)).assertStatus(200)
    ;(await editPage(client, user, other)).assertStatus(302)
  })
})

test.group('Hole 7 (issue 25): the race with real row locks', (group) => {
  // No global transaction: the sign-in and the change must meet in MySQL's locks.
  group.each.teardown(() => app.container.restore(SignIn))

  test('hole 7: a sign-in finishing while a change holds the row waits for it, then gets no token', async ({
    client,
    assert,
  }) => {
    const user = await UserFactory.create()
    const change = await db.transaction()
    try {
      const signingIn = await heldSignIn(() => apiSignIn(client, user, FACTORY_PASSWORD))

      // A password change written the way AccountsService writes it, not yet committed.
      await change
        .from('users')
        .where('id', user.id)
        .update({ password: await hash.make(NEW_PASSWORD) })
      await change.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      signingIn.release()
      // Commit only once the sign-in is in MySQL, waiting on the change's locks.
      await waitFor(statementOnUsersRunning)
      await change.commit()

      ;(await signingIn.response).assertStatus(401)
      const left = await db
        .from('auth_access_tokens')
        .where('tokenable_id', user.id)
        .count('* as n')
      assert.equal(Number(left[0].n), 0)
    } finally {
      if (!change.isCompleted) await change.rollback()
      await db.from('users').where('id', user.id).delete()
    }
  }).timeout(90_000)
})

test.group('Holes 8 and 9 (issue 25): hidden characters in names and posts', (group) => {
  isolateDatabase(group)

  test('hole 8: usernames made of or padded with Hangul fillers are refused', async ({
    client,
  }) => {
    await UserFactory.merge({ username: 'admin' }).create()
    for (const username of [
      '\u3164',
      '\u3164\u3164\u3164',
      'admin\u3164',
      '\u115Fbob',
      'b\u1160ob',
      'bob\uFFA0',
    ]) {
      const response = await client
        .post(route('api.users.store'))
        .json({ ...validRegistration, username })
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'username', rule: 'hangulFillers' }] })
    }
    const response = await client
      .post(route('api.users.store'))
      .json({ ...validRegistration, username: 'admin\u3164' })
    response.assertBodyContains({
      errors: [
        {
          message:
            'The username must not contain Hangul filler characters, which show as blank space (found U+3164)',
        },
      ],
    })
  })

  test('hole 9: bidi controls and invisible characters are refused in names and posts', async ({
    client,
  }) => {
    const hidden = ['\u202E', '\u202A', '\u2066', '\u2069', '\u200B', '\u200F', '\u061C', '\uFEFF']
    for (const character of hidden) {
      for (const field of ['first_name', 'last_name']) {
        const response = await client
          .post(route('api.users.store'))
          .json({ ...validRegistration, [field]: `Ada${character}Lovelace` })
        response.assertStatus(422)
        response.assertBodyContains({ errors: [{ field }] })
      }
    }

    const user = await UserFactory.create()
    for (const character of hidden) {
      const response = await asApi(client.post(route('api.posts.store')), user).json({
        text: `read this${character} carefully`,
      })
      response.assertStatus(422)
      response.assertBodyContains({ errors: [{ field: 'text' }] })
    }
    const zeroWidth = await asApi(client.post(route('api.posts.store')), user).json({
      text: 'zero\u200Bwidth',
    })
    zeroWidth.assertBodyContains({
      errors: [
        {
          rule: 'invisibleCharacters',
          message:
            'The text must not contain invisible characters such as zero-width spaces (found U+200B)',
        },
      ],
    })

    // Emoji joined by ZWJ are still one picture, and welcome.
    const emoji = await asApi(client.post(route('api.posts.store')), user).json({
      text: 'at work 👩‍💻 with 👨‍👩‍👧 ❤️',
    })
    emoji.assertStatus(201)
  })
})
