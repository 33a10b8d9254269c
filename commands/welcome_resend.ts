import { args, flags } from '@adonisjs/core/ace'
import { withTimeout } from '#helpers/timeout'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class WelcomeResend extends AdminCommand {
  static commandName = 'welcome:resend'
  static description = "Queue a user's welcome email again"
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
    const { default: WelcomeEmail } = await import('#models/welcome_email')
    const { WelcomeOutbox } = await import('#services/welcome_outbox')
    const user = await this.findUser(this.user)

    const intent = await WelcomeEmail.findBy('userId', user.id)
    if (!intent) {
      await WelcomeEmail.create({ userId: user.id, state: 'pending', attempts: 0 })
    } else if (intent.state === 'sent' && !this.force) {
      throw new CommandError(
        `${user.username}'s welcome email was sent on ${intent.sentAt?.toUTC().toISO()}; pass --force to send it again`
      )
    } else if (intent.state === 'sending') {
      throw new CommandError(`${user.username}'s welcome email is being sent right now`)
    } else {
      await WelcomeOutbox.reset(user.id, { force: this.force })
    }

    await withTimeout(
      WelcomeOutbox.dispatch(user.id, { force: true }),
      3000,
      'Redis did not answer within 3 s; the intent is saved and the worker sweep will queue it'
    )
    this.logger.success(`Queued the welcome email for ${user.username} <${user.email}>`)
  }
}
