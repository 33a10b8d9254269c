import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, USER_REFERENCE } from '#helpers/admin_command'
import { printable, printableJson } from '#helpers/terminal'
import { ownUserData } from '#presenters/user_presenter'

export default class UsersShow extends AdminCommand {
  static commandName = 'users:show'
  static description = 'Show one user with their profile and every email owed or sent to them'
  static help = [
    '  {{ binaryName }} users:show 7',
    '  {{ binaryName }} users:show ada',
    '  {{ binaryName }} users:show ada --json',
  ]

  @args.string({ description: USER_REFERENCE })
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
    // Every outbox row of the user, all kinds: each forced resend is its own row.
    const outbox = await OutboxEmail.query().where('userId', user.id).orderBy('id')
    const emails = outbox.map((email) => ({
      kind: email.kind,
      state: email.state,
      attempts: email.attempts,
      message_id: email.messageId,
      queued_at: email.createdAt.toUTC().toISO(),
      sent_at: email.sentAt?.toUTC().toISO() ?? null,
    }))
    const sends = emails
      .filter((email) => email.kind === 'welcome' && email.state === 'sent')
      .map((email) => ({ message_id: email.message_id, sent_at: email.sent_at }))
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
      const suspension = {
        suspended_at: user.suspendedAt?.toUTC().toISO() ?? null,
        suspension_reason: user.suspensionReason,
      }
      this.logger.log(
        printableJson({ ...ownUserData(user), ...suspension, welcome_email: welcome, emails })
      )
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
      [
        'Suspended',
        user.suspendedAt
          ? `yes, ${user.suspendedAt.toUTC().toISO()}: ${user.suspensionReason ?? '-'}`
          : 'no',
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
      ['Emails', emails.length],
      ...emails.map((email): [string, string] => [
        `  ${email.kind}`,
        [
          email.state,
          `${email.attempts} attempt${email.attempts === 1 ? '' : 's'}`,
          `sent ${email.sent_at ?? '-'}`,
          email.message_id ?? '-',
        ].join(', '),
      ]),
    ]
    for (const [field, value] of rows) {
      table.row([field, value === null || value === undefined ? '-' : printable(String(value))])
    }
    table.render()
  }
}
