import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, USER_REFERENCE } from '#helpers/admin_command'

export default class WelcomeResend extends AdminCommand {
  static commandName = 'welcome:resend'
  static description = "Send a user's welcome email again"
  static help = [
    'A welcome email that was already sent is not sent twice unless you pass --force.',
    'For the other kinds of email: emails:resend.',
    '',
    '  {{ binaryName }} welcome:resend ada',
    '  {{ binaryName }} welcome:resend 7 --force',
  ]

  @args.string({ description: USER_REFERENCE })
  declare user: string

  @flags.boolean({ description: 'Send again even if it was already sent' })
  declare force: boolean

  async run() {
    await this.resendEmail(this.user, 'welcome', this.force)
  }
}
