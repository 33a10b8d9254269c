import { flags } from '@adonisjs/core/ace'
import { withTimeout } from '#helpers/timeout'
import { AdminCommand, CommandError } from '#helpers/admin_command'

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'paused'] as const

export default class QueueStatus extends AdminCommand {
  static commandName = 'queue:status'
  static description = 'Count the jobs in the queue and the welcome emails not yet delivered'
  static help = ['  {{ binaryName }} queue:status', '  {{ binaryName }} queue:status --json']

  @flags.boolean({ description: 'Print JSON for scripts' })
  declare json: boolean

  async run() {
    // Imported here: `node ace list` loads every command before the app boots.
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { defaultQueue } = await import('#services/job_queue')
    const queue = await defaultQueue()
    const jobs = await withTimeout(
      queue.getJobCounts(...JOB_STATES),
      3000,
      'Redis did not answer within 3 s: is it running (REDIS_HOST, REDIS_PORT)?'
    ).catch((error) => {
      throw new CommandError(error.message)
    })

    const rows: { state: string; total: number }[] = await db
      .from('welcome_emails')
      .select('state')
      .count('* as total')
      .groupBy('state')
    const outbox = Object.fromEntries(
      ['pending', 'sending', 'sent', 'failed'].map((state) => [
        state,
        Number(rows.find((row) => row.state === state)?.total ?? 0),
      ])
    )

    if (this.json) {
      this.logger.log(JSON.stringify({ jobs, welcome_emails: outbox }))
      return
    }

    const table = this.ui.table()
    table.head(['Queue "default"', 'Jobs'])
    for (const state of JOB_STATES) table.row([state, String(jobs[state] ?? 0)])
    table.render()

    const intents = this.ui.table()
    intents.head(['Welcome emails', 'Users'])
    for (const [state, total] of Object.entries(outbox)) intents.row([state, String(total)])
    intents.render()

    const undelivered = outbox.pending + outbox.sending + outbox.failed
    if (undelivered) {
      this.logger.warning(`${undelivered} welcome emails are not delivered yet`)
    }
  }
}
