import { test } from '@japa/runner'
import mail from '@adonisjs/mail/services/main'
import WelcomeMail from '#mails/welcome_mail'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

test.group('WelcomeMail', (group) => {
  isolateDatabase(group)

  test('greets the user by name in HTML and text, linking to the profile', async () => {
    const user = await UserFactory.merge({ username: 'ada_l', firstName: 'Ada' }).create()
    const email = new WelcomeMail(user)
    await email.buildWithContents()

    email.message.assertTo(user.email, `Ada ${user.lastName}`)
    email.message.assertSubject('Welcome to G-Social')
    for (const part of ['assertHtmlIncludes', 'assertTextIncludes'] as const) {
      email.message[part]('Welcome to G-Social, Ada!')
      email.message[part]('ada_l')
      email.message[part](`/users/${user.id}`)
    }
  })

  test('escapes names in the HTML part', async () => {
    const user = await UserFactory.merge({ firstName: '<script>x</script>' }).create()
    const email = new WelcomeMail(user)
    await email.buildWithContents()
    email.message.assertHtmlIncludes('&lt;script&gt;x&lt;/script&gt;')
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
