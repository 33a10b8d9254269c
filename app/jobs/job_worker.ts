import { Worker, UnrecoverableError, type Job as BullJob } from 'bullmq'
import type { ApplicationService, LoggerService } from '@adonisjs/core/types'
import { jobs } from '#jobs/main'
import { makeJob, QueuedJob, type QueueConfig } from '#jobs/bull_adapter'
import { isDependencyDown } from '#helpers/dependency_errors'

export interface JobWorkerOptions {
  queueName?: string
  concurrency: number
  logger: LoggerService
}

/**
 * Our own BullMQ worker for bull-queue's queue: it resolves jobs by their
 * stable names (app/jobs/main.ts), logs each run, and closes when asked,
 * which `queue:listen` does not do on SIGTERM.
 */
export class JobWorker {
  #worker?: Worker
  #redisAway = false

  constructor(
    private app: ApplicationService,
    private options: JobWorkerOptions
  ) {}

  start() {
    const config = this.app.config.get<QueueConfig>('queue')
    this.#worker = new Worker(this.options.queueName ?? 'default', (job) => this.#run(job), {
      ...config.worker,
      connection: config.worker.connection ?? config.defaultConnection,
      concurrency: this.options.concurrency,
    })
    this.#worker.on('error', (error) => {
      if (isDependencyDown(error)) this.#redisAway = true
      this.options.logger.warn({ err: error }, 'queue error')
    })
    this.#worker.on('ready', () => (this.#redisAway = false))
    this.#worker.on('failed', (job, error) => void this.#onFailed(job, error))
    return this.#worker
  }

  /**
   * Finishes the jobs in flight, then disconnects. With Redis away, BullMQ
   * would wait for it indefinitely, and no job can be marked done anyway:
   * the connections are dropped and Bull hands the jobs in flight to another
   * worker once they stall.
   */
  async close() {
    await this.#worker?.close(this.#redisAway)
  }

  async #instantiate(job: BullJob) {
    const load = jobs[job.name as keyof typeof jobs]
    if (!load) {
      throw new UnrecoverableError(`Unknown job "${job.name}"`)
    }
    const { default: JobClass } = await load()
    // Each class takes its own payload; Redis holds whichever this job's is.
    return makeJob<unknown>(this.app.container, JobClass as any, job, this.options.logger)
  }

  async #run(job: BullJob) {
    const started = performance.now()
    const instance = await this.#instantiate(job)
    const context = { job: job.name, jobId: job.id, ...job.data, attempt: job.attemptsMade + 1 }
    try {
      await instance.handle(job.data)
    } catch (error) {
      const durationMs = Math.round(performance.now() - started)
      this.options.logger.warn({ ...context, outcome: 'failed', durationMs }, error.message)
      throw error
    }
    const durationMs = Math.round(performance.now() - started)
    const level = (instance.constructor as typeof QueuedJob).routine ? 'debug' : 'info'
    this.options.logger[level]({ ...context, outcome: 'completed', durationMs }, 'job completed')
  }

  /** Once Bull gives up on a job, its class may react (rescue). */
  async #onFailed(job: BullJob | undefined, error: Error) {
    const exhausted =
      job && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))
    if (!exhausted) return
    try {
      const instance = await this.#instantiate(job)
      await instance.rescue(job.data, error)
    } catch (rescueError) {
      this.options.logger.error({ err: rescueError, jobId: job.id }, 'job rescue failed')
    }
  }
}
