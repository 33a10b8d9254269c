import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class WelcomeResend extends AdminCommand {
  static commandName = 'welcome:resend'
  static description = "Send a user's welcome email again"
  static help = [
    'A welcome email that was already sent is not sent twice unless you pass --force.',
    '',
    '  {{ binaryName }} welcome:resend ada',
    '  {{ binaryName }} welcome:resend 7 --force',
  ]

  @args.string({ description: 'The user id or username' })
  declare user: string

  @flags.boolean({ description: 'Send again even if it was already sent' })
  declare force: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { MailOutbox } = await import('#services/mail_outbox')
    const outbox = await this.app.container.make(MailOutbox)
    const user = await this.findUser(this.user)

    const result = await outbox.resend(user.id, 'welcome', { force: this.force })
    if (result.status === 'sent') {
      throw new CommandError(
        `${user.username}'s welcome email was sent on ${result.sentAt?.toUTC().toISO()}; pass --force to send it again`
      )
    }
    if (result.status === 'sending') {
      throw new CommandError(`${user.username}'s welcome email is being sent right now`)
    }
    this.logger.success(`Queued the welcome email for ${user.username} <${user.email}>`)
  }
}
