import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, USER_REFERENCE } from '#helpers/admin_command'

export default class EmailsResend extends AdminCommand {
  static commandName = 'emails:resend'
  static description =
    'Send one of a user\'s emails again (welcome, confirmation, reset, "password changed")'
  static help = [
    'Resends the latest email of that kind; a link in it is minted at sending. A welcome,',
    'confirmation or reset email is recorded when there is none; one that tells of an act',
    '(a password change, a removal, a suspension) only goes again.',
    'An email already sent goes again only with --force, as a new message.',
    '',
    '  {{ binaryName }} emails:resend ada --kind=email_confirmation',
    '  {{ binaryName }} emails:resend 7 --kind=password_reset --force',
  ]

  @args.string({ description: USER_REFERENCE })
  declare user: string

  @flags.string({
    description:
      'Required: welcome, email_confirmation, password_reset, password_changed, moderation_post_removed or moderation_suspended',
  })
  declare kind?: string

  @flags.boolean({ description: 'Send again even if it was already sent' })
  declare force: boolean

  async run() {
    await this.resendEmail(this.user, this.kind, this.force)
  }
}
