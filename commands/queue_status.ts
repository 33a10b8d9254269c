import { flags } from '@adonisjs/core/ace'
import { withTimeout } from '#helpers/timeout'
import { AdminCommand, CommandError } from '#helpers/admin_command'

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'] as const
const EMAIL_STATES = ['pending', 'sending', 'sent', 'failed'] as const

export default class QueueStatus extends AdminCommand {
  static commandName = 'queue:status'
  static description = 'Count the jobs in the queue and the outbox emails not yet delivered'
  static help = ['  {{ binaryName }} queue:status', '  {{ binaryName }} queue:status --json']

  @flags.boolean({ description: 'Print JSON for scripts' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { defaultQueue } = await import('#jobs/bull_adapter')
    const { OUTBOX_KINDS } = await import('#models/outbox_email')
    const queue = await defaultQueue()
    const jobs = await withTimeout(
      queue.getJobCounts(...JOB_STATES),
      3000,
      'Redis did not answer within 3 s: is it running (REDIS_HOST, REDIS_PORT)?'
    ).catch((error) => {
      throw new CommandError(error.message)
    })

    const rows: { kind: string; state: string; total: number }[] = await db
      .from('outbox_emails')
      .select('kind', 'state')
      .count('* as total')
      .groupBy('kind', 'state')
    const emails = Object.fromEntries(
      OUTBOX_KINDS.map((kind) => [
        kind,
        Object.fromEntries(
          EMAIL_STATES.map((state) => [
            state,
            Number(rows.find((row) => row.kind === kind && row.state === state)?.total ?? 0),
          ])
        ),
      ])
    )

    if (this.json) {
      this.logger.log(JSON.stringify({ jobs, emails, welcome_emails: emails.welcome }))
      return
    }

    const table = this.ui.table()
    table.head(['Queue "default"', 'Jobs'])
    for (const state of JOB_STATES) table.row([state, String(jobs[state] ?? 0)])
    table.render()

    const outbox = this.ui.table()
    outbox.head(['Outbox emails', ...EMAIL_STATES])
    for (const [kind, counts] of Object.entries(emails)) {
      outbox.row([kind, ...EMAIL_STATES.map((state) => String(counts[state]))])
    }
    outbox.render()

    const undelivered = Object.values(emails).reduce(
      (sum, counts) => sum + counts.pending + counts.sending + counts.failed,
      0
    )
    if (undelivered) {
      this.logger.warning(`${undelivered} outbox emails are not delivered yet`)
    }
  }
}
