import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class CommentsRemove extends AdminCommand {
  static commandName = 'comments:remove'
  static description = 'Remove a comment as a moderator: it leaves its post at once'
  static help = [
    'Open reports about the comment are resolved; its text stays on them.',
    '',
    '  {{ binaryName }} comments:remove 42',
    '  {{ binaryName }} comments:remove 42 --reason="Harassment"',
  ]

  @args.string({ description: 'The comment id' })
  declare comment: string

  @flags.string({ description: 'Why: kept on the reports it resolves' })
  declare reason?: string

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Moderation } = await import('#services/moderation/moderation')
    if (!/^\d+$/.test(this.comment)) {
      throw new CommandError(`No comment "${this.comment}" (give its id)`)
    }
    const reason = await this.moderatorText('reason', this.reason)
    const moderation = await this.app.container.make(Moderation)
    if (!(await moderation.removeComment(Number(this.comment), reason))) {
      throw new CommandError(`No comment ${this.comment}`)
    }
    await this.assertReplicasTold(`Removed comment ${this.comment}`)
    this.logger.success(`Removed comment ${this.comment}`)
  }
}
