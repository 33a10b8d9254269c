import { setTimeout as sleep } from 'node:timers/promises'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const PARTS = ['jobs', 'rpc', 'sweep'] as const

/**
 * The worker process: Bull's job consumer, the email_sender RPC server and
 * the keeper of the repeatable jobs (the sweeps for work owed and the
 * friend request expiry), in one process that stops gracefully.
 */
export default class WorkerCommand extends BaseCommand {
  static commandName = 'worker'
  static description =
    'Consume the job queue, serve the email_sender RPC and keep the sweeps and the expiry scheduled'
  static help = [
    'Runs until SIGTERM or SIGINT, then finishes the work in flight and closes its connections.',
    'Run several workers to scale: they share the Redis queue and the RabbitMQ RPC queue.',
    '',
    '  {{ binaryName }} worker',
    '  {{ binaryName }} worker --concurrency=20 --prefetch=20',
    '  {{ binaryName }} worker --only=rpc',
  ]
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs processed at once', default: 50 })
  declare concurrency: number

  @flags.number({ description: 'RPC requests handled at once (AMQP prefetch)', default: 50 })
  declare prefetch: number

  @flags.array({ description: `Parts to run: ${PARTS.join(', ')} (default: all)` })
  declare only?: string[]

  @flags.number({
    description:
      'Seconds between the sweeps for owed emails, fan-outs and notifications (give every worker the same)',
    default: 10,
  })
  declare sweepEvery: number

  @flags.number({
    description:
      'Seconds between checks that the repeatable jobs are scheduled in Redis (with sweep)',
    default: 60,
  })
  declare schedulesEvery: number

  async run() {
    const parts = this.only?.length ? this.only : [...PARTS]
    const unknown = parts.filter((part) => !PARTS.includes(part as any))
    if (unknown.length) {
      return this.fail(`Unknown part "${unknown.join('", "')}": use ${PARTS.join(', ')}`)
    }
    for (const [name, value] of Object.entries({
      'concurrency': this.concurrency,
      'prefetch': this.prefetch,
      'sweep-every': this.sweepEvery,
      'schedules-every': this.schedulesEvery,
    })) {
      if (!Number.isInteger(value) || value < 1) {
        return this.fail(`--${name} must be a whole number above 0`)
      }
    }

    const logger = await this.app.container.make('logger')
    const { JobWorker } = await import('#jobs/job_worker')
    const { RpcServer } = await import('#rpc/server')
    const { EmailSenderMethods } = await import('#rpc/methods')
    const { ScheduleKeeper, schedules } = await import('#jobs/schedules')

    const stops: (() => Promise<void>)[] = []
    if (parts.includes('rpc')) {
      const methods = await this.app.container.make(EmailSenderMethods)
      const server = new RpcServer({
        url: this.app.config.get('rabbitmq.url'),
        prefetch: this.prefetch,
        logger,
        methods: methods.table(),
      })
      try {
        await server.start()
      } catch (error) {
        return this.fail(`Cannot connect to RabbitMQ: ${error.message}`)
      }
      stops.push(() => server.stop())
    }
    if (parts.includes('jobs')) {
      const worker = new JobWorker(this.app, { concurrency: this.concurrency, logger })
      worker.start()
      stops.unshift(() => worker.close())
    }
    if (parts.includes('sweep')) {
      // The sweeps and the expiry run as repeatable jobs, once per interval
      // across all workers; this only puts their schedules back whenever
      // Redis has lost them, which no job in Redis can do.
      const keeper = await this.app.container.make(ScheduleKeeper)
      const wanted = schedules({ sweepEverySeconds: this.sweepEvery })
      const stopping = new AbortController()
      const { signal } = stopping
      // A reconnect to Redis ends the wait at once (it may have lost them).
      let wake = () => {}
      const reconnected = keeper.onReconnect(() => wake()).catch(() => undefined)
      const keeping = (async () => {
        while (!signal.aborted) {
          await keeper.keep(wanted)
          await Promise.race([
            sleep(this.schedulesEvery * 1000, null, { signal }).catch(() => {}),
            new Promise<void>((resolve) => (wake = resolve)),
          ])
        }
      })()
      stops.unshift(async () => {
        stopping.abort()
        await keeping
        // Not awaited: with Redis never reached, the connection never settles.
        void reconnected.then((stopListening) => stopListening?.())
      })
    }

    // Stop taking work first (schedules, then jobs, whose RPC calls still need
    // the server), then the RPC server; providers close Redis and MySQL after.
    this.app.terminating(async () => {
      logger.info('worker stopping: finishing the work in flight')
      for (const stop of stops) await stop()
      logger.info('worker stopped')
    })
    process.once('SIGINT', () => void this.app.terminate())

    logger.info({ parts, concurrency: this.concurrency, prefetch: this.prefetch }, 'worker started')
  }

  /** staysAlive commands end through terminate(), so the exit code is set on the process. */
  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
    process.exitCode = 1
    return this.app.terminate()
  }
}
