import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError, USER_REFERENCE } from '#helpers/admin_command'
import { printable } from '#helpers/terminal'

export default class UsersSuspend extends AdminCommand {
  static commandName = 'users:suspend'
  static description = 'Suspend a user: their sign-ins end, and their profile and posts are hidden'
  static help = [
    'Their sessions, tokens and live streams end at once, signing in answers 403 until',
    'users:unsuspend, and everyone else gets 404 for their profile, posts and comments.',
    'They get an email with the reason; the open reports about them and what they wrote are',
    'resolved with it (reports:list --status=resolved shows them).',
    '',
    '  {{ binaryName }} users:suspend ada --reason="Spam, again and again"',
    '  {{ binaryName }} users:suspend 7 --reason="Harassment"',
  ]

  @args.string({ description: USER_REFERENCE })
  declare user: string

  @flags.string({ description: 'Required. Why: told to the user by email' })
  declare reason?: string

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Moderation } = await import('#services/moderation/moderation')
    const reason = await this.moderatorText('reason', this.reason)
    if (!reason) throw new CommandError('--reason is required: the user is told why')
    const user = await this.findUser(this.user)
    const moderation = await this.app.container.make(Moderation)
    const name = printable(user.username)
    if (!(await moderation.suspend(user.id, reason))) {
      throw new CommandError(`${name} is already suspended`)
    }
    await this.assertReplicasTold(`Suspended ${name}`)
    this.logger.success(`Suspended ${name}; they are signed out everywhere and told by email`)
  }
}
