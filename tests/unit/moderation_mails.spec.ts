import { test } from '@japa/runner'
import { AccountSuspendedMail, PostRemovedMail } from '#mails/moderation_mails'
import { UserFactory } from '#database/factories/user_factory'
import { isolateDatabase } from '#tests/helpers'

test.group('Moderation mails', (group) => {
  isolateDatabase(group)

  test('a removed post: which one, why, and how to reach the moderators', async () => {
    const user = await UserFactory.merge({ username: 'ada_l' }).create()
    const email = new PostRemovedMail(user, {
      text: 'Watches & "deals"',
      image: true,
      posted_at: '2026-12-01T10:00:00.000Z',
      reason: 'Advertising.',
    })
    await email.buildWithContents()
    email.message.assertTo(user.email)
    email.message.assertSubject('A moderator removed one of your G-Social posts')
    email.message.assertTextIncludes(
      'A moderator removed your post of 1 December 2026: "Watches & "deals"" with its picture.'
    )
    // The moderator's full stop is not doubled.
    email.message.assertTextIncludes('Why: Advertising.\n')
    email.message.assertHtmlIncludes('Watches &amp; &quot;deals&quot;')
    email.message.assertTextIncludes('reply to this email: it reaches the moderators')
  })

  test('a removed post the row knows nothing of, and no reason', async () => {
    const user = await UserFactory.create()
    const email = new PostRemovedMail(user, {})
    await email.buildWithContents()
    email.message.assertTextIncludes('A moderator removed one of your posts.')
    email.message.assertTextIncludes('It broke the rules of G-Social.')
  })

  test('a suspension: why, what it means, how to reach the moderators', async () => {
    const user = await UserFactory.create()
    const email = new AccountSuspendedMail(user, 'Harassment')
    await email.buildWithContents()
    email.message.assertSubject('Your G-Social account is suspended')
    for (const part of ['assertHtmlIncludes', 'assertTextIncludes'] as const) {
      email.message[part]('Why: Harassment.')
      email.message[part]('you cannot sign in')
    }
  })
})
