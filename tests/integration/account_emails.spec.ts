import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { ParsedMail } from 'mailparser'
import type { Assert } from '@japa/assert'
import OutboxEmail, { type OutboxKind } from '#models/outbox_email'
import type User from '#models/user'
import SendOutboxEmail from '#jobs/send_outbox_email'
import Post from '#models/post'
import { Moderation } from '#services/moderation/moderation'
import { defaultQueue } from '#jobs/bull_adapter'
import OutboxSweeper from '#jobs/outbox_sweeper'
import { FACTORY_PASSWORD, UserFactory } from '#database/factories/user_factory'
import { linkIn } from '#tests/integration/helpers/smtp_sink'
import { withMailPipeline } from '#tests/integration/helpers/worker'
import env from '#start/env'
import { route, waitUntil } from '#tests/helpers'

/**
 * The account emails through the production path (outbox → Bull job →
 * RPC → SMTP), each checked the same way: one message, greeting by
 * username (never the typed first name), the link alone on its line.
 */
test.group('Account emails (Redis, RabbitMQ, SMTP)', (group) => {
  const pipeline = withMailPipeline(group)

  /** A user whose typed name must never reach an email. */
  function createUser(state?: 'unverified') {
    const factory = UserFactory.merge({ firstName: 'Mallory', lastName: 'Visit evil.example' })
    return state ? factory.apply(state).create() : factory.create()
  }

  /**
   * Waits for the email, then for its outbox row to be sent, then queues
   * its job again and sweeps: still exactly one message with that subject.
   */
  async function deliveredOnce(assert: Assert, user: User, kind: OutboxKind, subject: string) {
    const message = await pipeline.sink.waitFor(user.email, subject)
    const row = await OutboxEmail.query().where({ userId: user.id, kind }).firstOrFail()
    await waitUntil(async () => (await row.refresh()).state === 'sent')
    assert.equal(row.attempts, 1)
    assert.equal(message.messageId, row.messageId)

    // A redelivered job runs to completion and sends nothing.
    const jobKey = `again-${row.id}`
    await SendOutboxEmail.dispatch({ id: row.id, userId: user.id, kind, jobKey })
    const jobs = await defaultQueue()
    await waitUntil(async () => (await jobs.getJobState(jobKey)) === 'completed')
    await (await app.container.make(OutboxSweeper)).sweep(0)
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.lengthOf(
      pipeline.sink.to(user.email).filter((each) => each.subject === subject),
      1
    )
    return message
  }

  function assertGreetsByUsername(assert: Assert, message: ParsedMail, user: User) {
    assert.match(message.text!, new RegExp(`^Hello ${user.username},\n`))
    assert.include(message.html as string, user.username)
    for (const part of [message.text!, message.html as string]) {
      assert.notInclude(part, 'Mallory')
      assert.notInclude(part, 'evil.example')
    }
  }

  test('email_confirmation: a resend delivers one email whose link confirms', async ({
    client,
    assert,
  }) => {
    const user = await createUser('unverified')
    await pipeline.sink.waitFor(user.email, 'Welcome to G-Social')

    const response = await client
      .post(route('api.auth.email.resend'))
      .withGuard('api')
      .loginAs(user)
    response.assertStatus(202)

    const message = await deliveredOnce(
      assert,
      user,
      'email_confirmation',
      'Confirm your email address'
    )
    assertGreetsByUsername(assert, message, user)
    const link = linkIn(message, '/verify-email/')

    const confirmed = await fetch(link, { redirect: 'manual' })
    assert.isBelow(confirmed.status, 400)
    assert.isNotNull((await user.refresh()).emailVerifiedAt)
  })

  test('password_reset: forgot delivers one email whose link resets the password', async ({
    client,
    assert,
  }) => {
    const user = await createUser()
    const response = await client
      .post(route('api.auth.password.forgot'))
      .json({ email: user.email })
    response.assertStatus(202)

    const message = await deliveredOnce(
      assert,
      user,
      'password_reset',
      'Reset your G-Social password'
    )
    assertGreetsByUsername(assert, message, user)
    const link = linkIn(message, '/reset-password/')

    const token = decodeURIComponent(link.split('/reset-password/')[1])
    const reset = await client
      .post(route('api.auth.password.reset'))
      .json({ token, password: 'a brand new passphrase' })
    reset.assertStatus(204)
    assert.isTrue(await (await user.refresh()).verifyPassword('a brand new passphrase'))
  })

  test('password_changed: a change delivers one email linking to the reset form', async ({
    client,
    assert,
  }) => {
    const user = await createUser()
    const response = await client
      .put(route('api.me.password'))
      .json({ current_password: FACTORY_PASSWORD, password: 'a brand new passphrase' })
      .withGuard('api')
      .loginAs(user)
    response.assertStatus(204)

    const message = await deliveredOnce(
      assert,
      user,
      'password_changed',
      'Your G-Social password changed'
    )
    assertGreetsByUsername(assert, message, user)
    assert.equal(linkIn(message, '/forgot-password'), `${env.get('APP_URL')}/forgot-password`)
  })

  test('moderation_post_removed: the author of a removed post is told what and why, once', async ({
    assert,
  }) => {
    const user = await createUser()
    const post = await Post.create({ userId: user.id, text: 'Cheap watches & <b>deals</b>' })
    const moderation = await app.container.make(Moderation)
    assert.isTrue(await moderation.removePost(post.id, 'Advertising'))

    const message = await deliveredOnce(
      assert,
      user,
      'moderation_post_removed',
      'A moderator removed one of your G-Social posts'
    )
    assertGreetsByUsername(assert, message, user)
    // Quoted as written in the text part, escaped in the HTML part.
    assert.include(message.text!, '"Cheap watches & <b>deals</b>"')
    assert.include(message.html as string, 'Cheap watches &amp; &lt;b&gt;deals&lt;/b&gt;')
    assert.include(message.text!, 'Why: Advertising.')
    assert.include(message.text!, 'reply to this email: it reaches the moderators')
  })

  test('moderation_suspended: a suspended user is told why, once', async ({ assert }) => {
    const user = await createUser()
    const moderation = await app.container.make(Moderation)
    assert.isTrue(await moderation.suspend(user.id, 'Harassment'))
    assert.isFalse(await moderation.suspend(user.id, 'Harassment'))

    const message = await deliveredOnce(
      assert,
      user,
      'moderation_suspended',
      'Your G-Social account is suspended'
    )
    assertGreetsByUsername(assert, message, user)
    assert.include(message.text!, 'Why: Harassment.')
    assert.include(message.text!, 'you cannot sign in')
    assert.include(message.text!, 'reply to this email: it reaches the moderators')
  })
})
