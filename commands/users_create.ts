import { flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'

/** Each field: its flag, and the question asked when it is missing. */
const FIELDS = [
  { key: 'username', flag: 'username', question: 'Username' },
  { key: 'email', flag: 'email', question: 'Email' },
  { key: 'first_name', flag: 'first-name', question: 'First name' },
  { key: 'last_name', flag: 'last-name', question: 'Last name' },
  { key: 'password', flag: 'password', question: 'Password', secret: true },
] as const

export default class UsersCreate extends AdminCommand {
  static commandName = 'users:create'
  static description = 'Create a user (with profile and welcome email), as registration does'
  static help = [
    'Missing values are asked for when a terminal is attached (the password is hidden).',
    '',
    '  {{ binaryName }} users:create',
    '  {{ binaryName }} users:create --username=ada --email=ada@example.com \\',
    '    --first-name=Ada --last-name=Lovelace --password="analytical engine"',
  ]

  @flags.string({ description: 'Username: 3 to 150 letters, digits or @.+-_' })
  declare username?: string

  @flags.string({ description: 'Email address' })
  declare email?: string

  @flags.string({ description: 'First name', flagName: 'first-name' })
  declare firstName?: string

  @flags.string({ description: 'Last name', flagName: 'last-name' })
  declare lastName?: string

  @flags.string({ description: 'Password: 8 to 128 characters, not the username' })
  declare password?: string

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Registration } = await import('#services/accounts/registration')
    const { registerValidator } = await import('#validators/user')
    const given: Record<string, string | undefined> = {
      username: this.username,
      email: this.email,
      first_name: this.firstName,
      last_name: this.lastName,
      password: this.password,
    }

    const missing = FIELDS.filter((field) => !given[field.key])
    if (missing.length && !process.stdin.isTTY) {
      const list = missing.map((field) => `--${field.flag}`).join(', ')
      throw new CommandError(`Missing ${list} (no terminal to ask on)`)
    }
    for (const field of missing) {
      given[field.key] =
        'secret' in field
          ? await this.prompt.secure(field.question)
          : await this.prompt.ask(field.question)
    }

    // The registration validator: same rules, same uniqueness checks.
    const payload = await registerValidator.validate(given)
    const registration = await this.app.container.make(Registration)
    const user = await registration.register(payload, { confirmed: true })
    this.logger.success(
      `Created user #${user.id} ${user.username} (email confirmed); the welcome email is queued`
    )
  }
}
