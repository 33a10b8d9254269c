import { flags } from '@adonisjs/core/ace'
import { DateTime } from 'luxon'
import { AdminCommand } from '#helpers/admin_command'
import { printable, printableJson } from '#helpers/terminal'
import { counted } from '#helpers/text'

/** Escapes LIKE wildcards so "%" and "_" in a search match themselves. */
const likeTerm = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export default class UsersList extends AdminCommand {
  static commandName = 'users:list'
  static description = 'List users with the state of their welcome email'
  static help = [
    '  {{ binaryName }} users:list',
    '  {{ binaryName }} users:list --search=ada --limit=10 --page=2',
    '  {{ binaryName }} users:list --json',
  ]

  @flags.string({ description: 'Only users whose username, email or name contains this text' })
  declare search?: string

  @flags.number({ description: 'Users per page (1 to 500)', default: 25 })
  declare limit: number

  @flags.number({ description: 'Page to show, from 1', default: 1 })
  declare page: number

  @flags.boolean({ description: 'Print JSON for scripts instead of a table' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: User } = await import('#models/user')
    const { limit, page } = this.wholeNumbers({ limit: [this.limit, 1, 500], page: [this.page, 1] })

    const query = User.query().preload('welcomeEmail').orderBy('id')
    if (this.search) {
      const term = likeTerm(this.search)
      // Plain LIKE: the columns' collation makes it case-insensitive.
      query.where((q) =>
        q
          .where('username', 'like', term)
          .orWhere('email', 'like', term)
          .orWhere('first_name', 'like', term)
          .orWhere('last_name', 'like', term)
      )
    }
    const result = await query.paginate(page, limit)
    const users = result.all().map((user) => ({
      id: user.id,
      username: user.username,
      email: user.email,
      name: `${user.firstName} ${user.lastName}`,
      joined: user.createdAt.toUTC().toISO(),
      welcome_email: user.welcomeEmail?.state ?? 'none',
    }))

    if (this.json) {
      const { total, perPage, currentPage, lastPage } = result
      this.logger.log(
        printableJson({ total, per_page: perPage, page: currentPage, last_page: lastPage, users })
      )
      return
    }

    if (!users.length && result.total > 0) {
      const count = `${result.total} user${result.total === 1 ? '' : 's'}`
      const verb = result.total === 1 ? 'matches' : 'match'
      const found = this.search ? `${count} ${verb} "${this.search}"` : `there are ${count}`
      const pages = `${result.lastPage} page${result.lastPage === 1 ? '' : 's'} of ${limit}`
      this.logger.info(`Page ${page} is past the end: ${found} (${pages})`)
      return
    }
    if (!users.length) {
      this.logger.info(this.search ? `No user matches "${printable(this.search)}"` : 'No users yet')
      return
    }
    const table = this.ui.table()
    table.head(['ID', 'Username', 'Email', 'Name', 'Joined', 'Welcome email'])
    for (const user of users) {
      table.row([
        String(user.id),
        printable(user.username),
        printable(user.email),
        printable(user.name),
        DateTime.fromISO(user.joined!).toFormat('yyyy-LL-dd HH:mm'),
        this.welcomeState(user.welcome_email),
      ])
    }
    table.render()
    this.logger.log(
      this.colors.dim(
        `Page ${result.currentPage} of ${result.lastPage} · ${counted(result.total, 'user')}`
      )
    )
  }

  private welcomeState(state: string) {
    if (state === 'sent') return this.colors.green(state)
    if (state === 'failed') return this.colors.red(state)
    return this.colors.yellow(state)
  }
}
