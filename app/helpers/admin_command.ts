import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { TimeoutError } from '#helpers/timeout'
import { RpcError } from '#rpc/protocol'
import { isDependencyDown } from '#helpers/dependency_errors'

/** How a command's user argument reads in its help (AdminCommand.findUser). */
export const USER_REFERENCE =
  'The user: an id or a username (#7 or @007 when a username is digits alone)'

/**
 * A mistake the admin can fix (bad input, a service down): shown as one
 * red line and exit code 1, never a stack trace.
 */
export class CommandError extends Error {}

/** The message to show for an expected failure, or undefined for a bug. */
function expectedFailure(error: any): string | undefined {
  if (error instanceof CommandError || error instanceof TimeoutError) return error.message
  if (error instanceof RpcError) return `RPC failed (${error.code}): ${error.message}`
  if (error?.code === 'E_VALIDATION_ERROR') {
    // One line, naming every problem.
    return error.messages.map((m: { field: string; message: string }) => m.message).join('; ')
  }
  if (isDependencyDown(error)) {
    return `A service is unreachable: ${error.message}. Is MySQL running (see .env)?`
  }
}

/**
 * Base for the admin commands: boots the app and turns expected failures
 * into a clear message and a non-zero exit.
 */
export abstract class AdminCommand extends BaseCommand {
  static options: CommandOptions = { startApp: true }

  /**
   * Before `run`: a text or number flag given twice (`--reason=a
   * --reason=b`) arrives as a list, which no command reads: one line
   * naming each such flag.
   */
  async prepare() {
    const command = this.constructor as typeof BaseCommand
    const repeated = command.flags
      .filter((flag) => flag.type === 'string' || flag.type === 'number')
      .filter((flag) => Array.isArray(this[flag.name as keyof this]))
      .map((flag) => `--${flag.flagName}`)
    if (repeated.length) {
      throw new CommandError(`Give ${repeated.join(', ')} once: each was given more than once`)
    }
  }

  /**
   * Runs after `run`; returning true tells ace the error is handled, so it
   * prints our one line instead of the error with its stack.
   */
  async completed() {
    const message = this.error && expectedFailure(this.error)
    if (!message) return false
    this.logger.error(message)
    this.exitCode = 1
    return true
  }

  /**
   * After a moderator's change, which the web replicas hear of through
   * Redis (sessions ended, cached pages dropped, a removed post's shared
   * copy replaced): when Redis does not answer, the change is in MySQL and
   * the site keeps its copies until they expire. A failure that says so,
   * not a success that did not happen everywhere.
   */
  protected async assertReplicasTold(done: string) {
    const { CacheInvalidation } = await import('#cache/invalidation')
    const invalidation = await this.app.container.make(CacheInvalidation)
    if (!(await invalidation.busAnswers())) {
      throw new CommandError(
        `${done} in MySQL, but Redis did not answer: the site may show the old state until its ` +
          'copies expire (a minute for sessions, 10 for pages, an hour for a removed post); check Redis'
      )
    }
  }

  /** The user an admin named by id or username, or a clear failure. */
  protected async findUser(reference: string) {
    const { default: User } = await import('#models/user')
    const found = await User.findByReference(reference)
    if (!found.length) {
      throw new CommandError(`No user "${reference}" (give an id or a username)`)
    }
    if (found.length > 1) {
      const { printable } = await import('#helpers/terminal')
      const each = found.map((user) => `${user.id} (${printable(user.username)})`).join(', ')
      throw new CommandError(
        `"${printable(reference)}" names more than one user: ${each}; write #<id> for the one you mean`
      )
    }
    return found[0]
  }

  /**
   * Queues a user's email of a kind again through the outbox (welcome:resend,
   * emails:resend): one already sent only when forced, as a new message.
   */
  protected async resendEmail(reference: string, kind: string | undefined, force: boolean) {
    // Imported here: `node ace list` loads every command before the app boots.
    const { OUTBOX_KINDS } = await import('#models/outbox_email')
    const { MailOutbox } = await import('#services/accounts/mail_outbox')
    const known = OUTBOX_KINDS.find((each) => each === kind)
    if (!known) throw new CommandError(`--kind must be one of ${OUTBOX_KINDS.join(', ')}`)
    const user = await this.findUser(reference)
    const what = `${user.username}'s ${known.replaceAll('_', ' ')} email`
    if (known === 'email_confirmation' && user.emailVerified) {
      throw new CommandError(`${user.username}'s email address is already confirmed`)
    }

    const outbox = await this.app.container.make(MailOutbox)
    const result = await outbox.resend(user.id, known, { force })
    if (result.status === 'none') {
      throw new CommandError(
        `${user.username} has no ${known.replaceAll('_', ' ')} email to send again: ` +
          'only what it tells of writes one (a password change, posts:remove, users:suspend, reports:resolve)'
      )
    }
    if (result.status === 'sent') {
      throw new CommandError(
        `${what} was sent on ${result.sentAt?.toUTC().toISO()}; pass --force to send it again`
      )
    }
    if (result.status === 'sending') throw new CommandError(`${what} is being sent right now`)
    this.logger.success(
      `Queued the ${known.replaceAll('_', ' ')} email for ${user.username} <${user.email}>`
    )
  }

  /**
   * A moderator's reason or note, as the user will read it in an email:
   * trimmed, at most 1000 characters, no control or invisible characters.
   */
  protected async moderatorText(name: string, value: string | undefined) {
    const { refusedCharacter } = await import('#validators/text')
    const text = value?.trim()
    if (!text) return null
    if (text.length > 1000) throw new CommandError(`--${name} can be at most 1000 characters long`)
    const refused = refusedCharacter(text, { multiline: true })
    if (refused)
      throw new CommandError(
        `--${name} contains a character we do not accept (${refused.character})`
      )
    return text
  }

  /**
   * Whole-number flags within bounds (`{ limit: [value, 1, 500] }`; left
   * out, the upper bound is the largest exact one, so 1e20 is refused), or
   * one line naming every bad one.
   */
  protected wholeNumbers<Name extends string>(
    flags: Record<Name, [value: number, min: number, max?: number]>
  ): Record<Name, number> {
    const wrong: string[] = []
    for (const [name, [value, min, max]] of Object.entries<[number, number, number?]>(flags)) {
      const top = max ?? Number.MAX_SAFE_INTEGER
      if (Number.isInteger(value) && value >= min && value <= top) continue
      // The largest exact number is named only to whom went past it.
      const bounds =
        max === undefined && !(value > top) ? `of at least ${min}` : `from ${min} to ${top}`
      wrong.push(`--${name} must be a whole number ${bounds}`)
    }
    if (wrong.length) throw new CommandError(wrong.join('; '))
    return Object.fromEntries(
      Object.entries<[number, number, number?]>(flags).map(([name, [value]]) => [name, value])
    ) as Record<Name, number>
  }
}
