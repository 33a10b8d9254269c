import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand } from '#helpers/admin_command'
import { printable, printableJson } from '#helpers/terminal'
import { ownUserData } from '#presenters/user_presenter'

export default class UsersShow extends AdminCommand {
  static commandName = 'users:show'
  static description = 'Show one user with their profile and welcome email history'
  static help = [
    '  {{ binaryName }} users:show 7',
    '  {{ binaryName }} users:show ada',
    '  {{ binaryName }} users:show ada --json',
  ]

  @args.string({ description: 'The user id or username' })
  declare user: string

  @flags.boolean({ description: 'Print JSON for scripts' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: OutboxEmail } = await import('#models/outbox_email')
    const user = await this.findUser(this.user)
    await user.load('profile')
    await user.load('welcomeEmail')
    const intent = user.welcomeEmail
    // Every welcome email sent: the first, then each forced resend (its own row).
    const sent = await OutboxEmail.query()
      .where({ userId: user.id, kind: 'welcome', state: 'sent' })
      .orderBy('id')
    const sends = sent.map((email) => ({
      message_id: email.messageId,
      sent_at: email.sentAt?.toUTC().toISO() ?? null,
    }))
    const welcome = intent && {
      state: intent.state,
      attempts: intent.attempts,
      message_id: intent.messageId,
      last_error: intent.lastError,
      queued_at: intent.createdAt.toUTC().toISO(),
      sent_at: intent.sentAt?.toUTC().toISO() ?? null,
      sends,
    }

    if (this.json) {
      this.logger.log(printableJson({ ...ownUserData(user), welcome_email: welcome }))
      return
    }

    const table = this.ui.table()
    table.head(['Field', 'Value'])
    const rows: [string, string | number | null | undefined][] = [
      ['ID', user.id],
      ['Username', user.username],
      ['Email', user.email],
      [
        'Email confirmed',
        user.emailVerifiedAt ? `yes, ${user.emailVerifiedAt.toUTC().toISO()}` : 'no',
      ],
      ['Name', `${user.firstName} ${user.lastName}`],
      ['Joined', user.createdAt.toUTC().toISO()],
      ['Picture', user.profile.profilePictureUrl],
      ['Bio', user.profile.bio || '(empty)'],
      ['Welcome email', welcome?.state ?? 'none'],
      ['  attempts', welcome?.attempts],
      ['  queued at', welcome?.queued_at],
      ['  sent at', welcome?.sent_at],
      ['  message id', welcome?.message_id],
      ['  last error', welcome?.last_error],
      ...sends.map((send, index): [string, string] => [
        `  send ${index + 1}`,
        `${send.sent_at} ${send.message_id}`,
      ]),
    ]
    for (const [field, value] of rows) {
      table.row([field, value === null || value === undefined ? '-' : printable(String(value))])
    }
    table.render()
  }
}
