import { flags } from '@adonisjs/core/ace'
import { DateTime } from 'luxon'
import { AdminCommand, CommandError } from '#helpers/admin_command'
import { printable, printableJson } from '#helpers/terminal'

const STATUSES = ['open', 'resolved'] as const
const DELETED_ACCOUNT = '(deleted account)'

/** One line of a longer text, for a table cell. */
const excerpt = (text: string | null, length = 60) => {
  if (!text) return '-'
  const line = text.replace(/\s+/g, ' ').trim()
  return printable(line.length > length ? `${line.slice(0, length - 1)}…` : line)
}

export default class ReportsList extends AdminCommand {
  static commandName = 'reports:list'
  static description = 'List the reports people sent to the moderators, oldest first'
  static help = [
    'Open reports by default; resolve one with reports:resolve.',
    '',
    '  {{ binaryName }} reports:list',
    '  {{ binaryName }} reports:list --status=resolved --limit=20',
    '  {{ binaryName }} reports:list --json',
  ]

  @flags.string({ description: 'open or resolved', default: 'open' })
  declare status: string

  @flags.number({ description: 'Reports to show (1 to 500)', default: 100 })
  declare limit: number

  @flags.boolean({ description: 'Print JSON for scripts instead of a table' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: Report } = await import('#models/report')
    const status = STATUSES.find((each) => each === this.status)
    if (!status) throw new CommandError(`--status must be one of ${STATUSES.join(', ')}`)
    const { limit } = this.wholeNumbers({ limit: [this.limit, 1, 500] })

    const rows = await Report.query()
      .where('status', status)
      .preload('reporter')
      .preload('targetUser')
      .orderBy('id', status === 'open' ? 'asc' : 'desc')
      .limit(limit)
    const reports = rows.map((report) => ({
      id: report.id,
      status: report.status,
      target: { type: report.targetType, id: report.targetId },
      target_user: { id: report.targetUserId, username: report.targetUser.username },
      target_text: report.targetText,
      reason: report.reason,
      note: report.note,
      // Null once the reporter deleted their account; the report stays.
      reporter: report.reporter
        ? { id: report.reporter.id, username: report.reporter.username }
        : null,
      created_at: report.createdAt.toUTC().toISO(),
      action: report.action,
      resolution_note: report.resolutionNote,
      resolved_at: report.resolvedAt?.toUTC().toISO() ?? null,
    }))

    if (this.json) {
      this.logger.log(printableJson({ status, reports }))
      return
    }
    if (!reports.length) {
      this.logger.info(`No ${status} reports`)
      return
    }
    const table = this.ui.table()
    const resolved = status === 'resolved'
    table.head([
      'ID',
      'Reported',
      'What',
      'Whose',
      'Text',
      'Reason',
      'Note',
      'By',
      ...(resolved ? ['Action', 'Resolved'] : []),
    ])
    for (const report of reports) {
      table.row([
        String(report.id),
        DateTime.fromISO(report.created_at!).toFormat('yyyy-LL-dd HH:mm'),
        `${report.target.type} ${report.target.id}`,
        printable(report.target_user.username),
        excerpt(report.target_text),
        report.reason,
        excerpt(report.note, 40),
        report.reporter ? printable(report.reporter.username) : DELETED_ACCOUNT,
        ...(resolved
          ? [
              report.action ?? '-',
              DateTime.fromISO(report.resolved_at!).toFormat('yyyy-LL-dd HH:mm'),
            ]
          : []),
      ])
    }
    table.render()
    this.logger.log(this.colors.dim(`${reports.length} ${status} report(s), at most ${limit}`))
  }
}
