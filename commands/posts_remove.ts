import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class PostsRemove extends AdminCommand {
  static commandName = 'posts:remove'
  static description = 'Remove a post as a moderator: it leaves every feed and page at once'
  static help = [
    'The author gets an email saying which post and why (--reason); open reports about the',
    'post are resolved. The post is deleted; its reports keep its text.',
    '',
    '  {{ binaryName }} posts:remove 42',
    '  {{ binaryName }} posts:remove 42 --reason="Advertising"',
  ]

  @args.string({ description: 'The post id' })
  declare post: string

  @flags.string({ description: 'Why: told to the author' })
  declare reason?: string

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Moderation } = await import('#services/moderation/moderation')
    if (!/^\d+$/.test(this.post)) throw new CommandError(`No post "${this.post}" (give its id)`)
    const reason = await this.moderatorText('reason', this.reason)
    const moderation = await this.app.container.make(Moderation)
    if (!(await moderation.removePost(Number(this.post), reason))) {
      throw new CommandError(`No post ${this.post}`)
    }
    await this.assertReplicasTold(`Removed post ${this.post}`)
    this.logger.success(`Removed post ${this.post}; its author is told by email`)
  }
}
