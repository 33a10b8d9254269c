import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import WelcomeMail from '#mails/welcome_mail'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

test.group('WelcomeMail', (group) => {
  isolateDatabase(group)

  test('greets the user by first name, as the site does, linking to the profile', async () => {
    const user = await UserFactory.merge({ username: 'ada_l', firstName: 'Ada' }).create()
    const email = new WelcomeMail(user)
    await email.buildWithContents()
    for (const part of ['assertHtmlIncludes', 'assertTextIncludes'] as const) {
      email.message[part]('Welcome to G-Social, Ada!')
      email.message[part](`/users/${user.id}`)
    }
  })

  test('a first name a mail client would make a link of gives way to the username', async ({
    assert,
  }) => {
    const user = await UserFactory.merge({
      username: 'ada_l',
      firstName: 'Click evil.example',
    }).create()
    const email = new WelcomeMail(user)
    await email.buildWithContents()

    email.message.assertTo(user.email)
    email.message.assertSubject('Welcome to G-Social')
    for (const part of ['assertHtmlIncludes', 'assertTextIncludes'] as const) {
      email.message[part]('Welcome to G-Social, ada_l!')
      email.message[part](`/users/${user.id}`)
    }
    const { html, text } = email.message.toJSON().message as { html: string; text: string }
    assert.notInclude(`${html}${text}`, 'evil.example')
  })

  test('carries the confirmation link on its own line in the text part', async ({ assert }) => {
    const user = await UserFactory.apply('unverified').create()
    const email = new WelcomeMail(user, 'abc123token')
    await email.buildWithContents()
    const { text } = email.message.toJSON().message as { text: string }
    const lines = text.split('\n').map((line) => line.trim())
    assert.include(lines, `${process.env.APP_URL}/verify-email/abc123token`)
  })

  test('is sent through the mailer to the user', async () => {
    const { mails } = mail.fake()
    try {
      const user = await UserFactory.create()
      await mail.send(new WelcomeMail(user))
      mails.assertSent(WelcomeMail, ({ message }) => message.hasTo(user.email))
    } finally {
      mail.restore()
    }
  })
})
