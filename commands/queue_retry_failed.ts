import { flags } from '@adonisjs/core/ace'
import { withTimeout } from '#helpers/timeout'
import { AdminCommand, CommandError } from '#helpers/admin_command'

export default class QueueRetryFailed extends AdminCommand {
  static commandName = 'queue:retry-failed'
  static description = 'Put the failed jobs back in the queue'
  static help = [
    '  {{ binaryName }} queue:retry-failed',
    '  {{ binaryName }} queue:retry-failed --limit=100',
  ]

  @flags.number({ description: 'Retry at most this many jobs (default: all)' })
  declare limit?: number

  async run() {
    const limit =
      this.limit === undefined ? undefined : this.wholeNumbers({ limit: [this.limit, 1] }).limit
    const { defaultQueue } = await import('#jobs/bull_adapter')
    const queue = await defaultQueue()
    const failed = await withTimeout(
      queue.getFailed(0, limit === undefined ? -1 : limit - 1),
      3000,
      'Redis did not answer within 3 s: is it running (REDIS_HOST, REDIS_PORT)?'
    ).catch((error) => {
      throw new CommandError(error.message)
    })

    if (!failed.length) {
      this.logger.info('No failed jobs')
      return
    }

    let retried = 0
    await this.ui
      .tasks()
      .add(`Retry ${failed.length} failed jobs`, async (task) => {
        for (const job of failed) {
          await job.retry('failed')
          retried++
          task.update(`${retried}/${failed.length} · ${job.name} ${job.id}`)
        }
        return `${retried} jobs back in the queue`
      })
      .run()
    this.logger.success(`Retried ${retried} failed jobs`)
  }
}
