import { args, flags } from '@adonisjs/core/ace'
import { AdminCommand, CommandError } from '#helpers/admin_command'
import { printable, printableJson } from '#helpers/terminal'

const ACTIONS = ['dismiss', 'remove', 'suspend'] as const

export default class ReportsResolve extends AdminCommand {
  static commandName = 'reports:resolve'
  static description =
    'Resolve a report: dismiss it, remove what it reports, or suspend whose it is'
  static help = [
    'dismiss changes nothing else; remove removes the reported post or comment; suspend',
    'suspends the reported user (or the author of the reported post or comment). --note is',
    'the reason the person is told by email (without it: what the report was for). The',
    'reporter is never told.',
    'Other open reports about the same thing are resolved with it.',
    '',
    '  {{ binaryName }} reports:resolve 12 --action=dismiss',
    '  {{ binaryName }} reports:resolve 12 --action=remove --note="Advertising"',
    '  {{ binaryName }} reports:resolve 12 --action=suspend --note="Repeated harassment" --json',
  ]

  @args.string({ description: 'The report id (see reports:list)' })
  declare report: string

  @flags.string({ description: 'Required: dismiss, remove or suspend' })
  declare action?: string

  @flags.string({
    description:
      'Why: told by email to the author of a removed post or to the suspended user; kept on the report',
  })
  declare note?: string

  @flags.boolean({ description: 'Print JSON for scripts' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { Moderation } = await import('#services/moderation/moderation')
    if (!/^\d+$/.test(this.report))
      throw new CommandError(`No report "${this.report}" (give its id)`)
    const action = ACTIONS.find((each) => each === this.action)
    if (!action) throw new CommandError(`--action must be one of ${ACTIONS.join(', ')}`)
    const note = await this.moderatorText('note', this.note)

    const moderation = await this.app.container.make(Moderation)
    const result = await moderation.resolve(Number(this.report), action, note)
    if (!result) throw new CommandError(`No report ${this.report}`)
    const { report } = result
    const target = `${report.targetType} ${report.targetId}`
    if (result.status === 'already_resolved') {
      throw new CommandError(`Report ${report.id} is already resolved (${report.action})`)
    }
    if (result.status === 'not_removable') {
      throw new CommandError(
        `Report ${report.id} is about a user: --action=remove removes posts and comments; use --action=suspend`
      )
    }

    const told = () =>
      action !== 'dismiss' && result.changed
        ? this.assertReplicasTold(`Resolved report ${report.id}`)
        : undefined
    if (this.json) {
      this.logger.log(
        printableJson({
          id: report.id,
          status: report.status,
          action: report.action,
          resolution_note: report.resolutionNote,
          resolved_at: report.resolvedAt?.toUTC().toISO() ?? null,
          changed: result.changed,
        })
      )
      // Printed first: a script learns what changed even when Redis did not answer.
      return told()
    }
    await report.load('targetUser')
    const whose = printable(report.targetUser.username)
    const done = {
      dismiss: `Dismissed report ${report.id}`,
      remove: !result.changed
        ? `${target} was already gone; resolved report ${report.id}`
        : report.targetType === 'post'
          ? `Removed ${target} and resolved report ${report.id}; ${whose} is told by email`
          : `Removed ${target} and resolved report ${report.id}`,
      suspend: result.changed
        ? `Suspended ${whose} and resolved report ${report.id}; they are told by email`
        : `${whose} was already suspended; resolved report ${report.id}`,
    }
    await told()
    this.logger.success(done[action])
  }
}
