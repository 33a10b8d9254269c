import { args } from '@adonisjs/core/ace'
import { AdminCommand, CommandError, USER_REFERENCE } from '#helpers/admin_command'
import { printable } from '#helpers/terminal'

export default class UsersUnsuspend extends AdminCommand {
  static commandName = 'users:unsuspend'
  static description = 'Lift a suspension: the user may sign in again and is seen again'
  static help = ['  {{ binaryName }} users:unsuspend ada', '  {{ binaryName }} users:unsuspend 7']

  @args.string({ description: USER_REFERENCE })
  declare user: string

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Moderation } = await import('#services/moderation/moderation')
    const user = await this.findUser(this.user)
    const moderation = await this.app.container.make(Moderation)
    const name = printable(user.username)
    if (!(await moderation.unsuspend(user.id))) throw new CommandError(`${name} is not suspended`)
    await this.assertReplicasTold(`Lifted ${name}'s suspension`)
    this.logger.success(`${name} may sign in again`)
  }
}
