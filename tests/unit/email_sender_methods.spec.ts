import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import mail from '@adonisjs/mail/services/main'
import OutboxEmail from '#models/outbox_email'
import { MailOutbox } from '#services/accounts/mail_outbox'
import WelcomeMail from '#mails/welcome_mail'
import { OUTBOX_KINDS } from '#models/outbox_email'
import { EmailSenderMethods, type MailsByKind } from '#rpc/methods'
import { EMAIL_METHODS, type RpcError } from '#rpc/protocol'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

/** The RpcError a call fails with (the test fails if it succeeds). */
function failureOf(call: Promise<unknown>) {
  return call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: RpcError) => error
  )
}

test.group('RPC email_sender methods', (group) => {
  isolateDatabase(group)
  let methods: Awaited<ReturnType<EmailSenderMethods['table']>>
  let fake: ReturnType<typeof mail.fake>

  group.each.setup(async () => {
    fake = mail.fake()
    methods = (await app.container.make(EmailSenderMethods)).table()
    return () => mail.restore()
  })

  test('ping answers pong', async ({ assert }) => {
    assert.equal(await methods.ping({}), 'pong')
  })

  test('every outbox kind has its mail and its method; the compiler refuses a kind without one', ({
    assert,
  }) => {
    assert.sameMembers(Object.keys(methods), [
      'ping',
      ...OUTBOX_KINDS.map((kind) => EMAIL_METHODS[kind]),
    ])
    // @ts-expect-error password_changed has no mail: MAILS is typed MailsByKind, total over the kinds
    const partial: MailsByKind = {
      welcome: (user) => new WelcomeMail(user, null),
      email_confirmation: (user) => new WelcomeMail(user, null),
      password_reset: (user) => new WelcomeMail(user, null),
    }
    assert.isObject(partial)
  })

  test('registration sends the welcome email once, under the Message-ID the outbox chose', async ({
    assert,
  }) => {
    const user = await UserFactory.create()
    const first = (await methods.registration({ user_id: user.id })) as { message_id: string }
    const again = await methods.registration({ user_id: user.id })

    assert.deepEqual(again, first)
    fake.mails.assertSentCount(WelcomeMail, 1)
    fake.mails.assertSent(WelcomeMail, ({ message }) => message.hasTo(user.email))
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    assert.equal(welcome.state, 'sent')
    assert.equal(welcome.attempts, 1)
    assert.match(first.message_id, /^<welcome\.\d+\.[0-9a-f-]+@g-social\.test>$/)
    assert.equal(first.message_id, welcome.messageId)
  })

  test('a row named by outbox_id must be that user’s email of that kind', async ({ assert }) => {
    const [user, other] = await UserFactory.createMany(2)
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    const error = await failureOf(
      methods.registration({ user_id: other.id, outbox_id: welcome.id })
    )
    assert.equal(error.code, 'unknown_email')
    await methods.registration({ user_id: user.id, outbox_id: welcome.id })
    fake.mails.assertSentCount(WelcomeMail, 1)
  })

  test('a claim hands back the email as its UPDATE left the row', async ({ assert }) => {
    const user = await UserFactory.create()
    const outbox = new MailOutbox()
    const claim = await outbox.claim({ userId: user.id, kind: 'welcome' })
    assert.equal(claim.status, 'claimed')
    const { email } = claim as Extract<typeof claim, { status: 'claimed' }>
    const row = await OutboxEmail.findOrFail(email.id)
    assert.deepEqual(
      [email.state, email.attempts, email.messageId],
      [row.state, row.attempts, row.messageId]
    )
    assert.equal(row.state, 'sending')
    assert.isFalse(email.$isDirty, 'nothing left to write back')
    assert.isAtMost(Math.abs(email.leaseUntil!.toMillis() - row.leaseUntil!.toMillis()), 2000)
  })

  test('a live claim answers in_progress; an expired lease is taken over', async ({ assert }) => {
    const user = await UserFactory.create()
    const welcome = await OutboxEmail.findByOrFail('userId', user.id)
    await welcome.merge({ state: 'sending', attempts: 1, messageId: '<kept@g-social.test>' }).save()

    await OutboxEmail.query()
      .where('id', welcome.id)
      .update({ leaseUntil: new Date(Date.now() + 60_000) })
    const busy = await failureOf(methods.registration({ user_id: user.id }))
    assert.equal(busy.code, 'in_progress')
    fake.mails.assertNoneSent()

    // The worker holding it stopped renewing: another takes it, same Message-ID.
    await OutboxEmail.query()
      .where('id', welcome.id)
      .update({ leaseUntil: new Date(Date.now() - 1000) })
    assert.deepEqual(await methods.registration({ user_id: user.id }), {
      message_id: '<kept@g-social.test>',
    })
    assert.equal((await welcome.refresh()).attempts, 2)
  })

  test('bad or unknown users are error codes, not sends', async ({ assert }) => {
    const codes = await Promise.all(
      [
        { user_id: 'seven' },
        { user_id: 0 },
        { user_id: 999999 },
        { user_id: 1, outbox_id: -1 },
      ].map((params) => methods.registration(params).catch((error) => error.code))
    )
    assert.deepEqual(codes, ['invalid_params', 'invalid_params', 'unknown_user', 'invalid_params'])
    fake.mails.assertNoneSent()
  })

  test('an email that failed too often is not sent again', async ({ assert }) => {
    const user = await UserFactory.create()
    await OutboxEmail.query().where('userId', user.id).update({ state: 'failed', attempts: 8 })
    const error = await failureOf(methods.registration({ user_id: user.id }))
    assert.equal(error.code, 'gave_up')
    assert.include(error.message, 'welcome:resend')
    fake.mails.assertNoneSent()
  })
})
