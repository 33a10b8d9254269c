/*
| Everything G-Social relies on in @rlanz/bull-queue lives in this file:
| its queue manager (the "default" queue and its config), its Job base
| class, and how that class receives its BullMQ job and logger
| (`$injectInternal`). tests/unit/bull_adapter.spec.ts fails if the
| library changes them.
*/
import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { ApplicationService, LoggerService } from '@adonisjs/core/types'
import { Job } from '@rlanz/bull-queue'
import type { defineConfig } from '@rlanz/bull-queue'
import type { Job as BullJob, JobsOptions, Queue } from 'bullmq'

export type QueueConfig = ReturnType<typeof defineConfig>

/**
 * A job class: `jobName` is the stable name stored in Redis (never a file
 * path, so a worker running another tree than the dispatcher still finds
 * it; app/jobs/main.ts maps names back to classes).
 */
export abstract class QueuedJob<Payload> extends Job {
  static jobName: string
  abstract handle(payload: Payload): Promise<void>
  async rescue(_payload: Payload, _error: Error): Promise<void> {}
}

type JobClass<Payload> = (abstract new (...args: any[]) => QueuedJob<Payload>) & {
  jobName: string
}

let queue: Promise<Queue> | undefined

/**
 * bull-queue's "default" queue, with an error listener: without one, a
 * Redis hiccup emits an unhandled 'error' event and kills the process.
 * Opened on first use, so that loading a job class (the User model does)
 * opens no connection; concurrent first callers share one queue.
 */
export function defaultQueue() {
  queue ??= openDefaultQueue()
  return queue
}

async function openDefaultQueue() {
  const { default: manager } = await import('@rlanz/bull-queue/services/main')
  const opened = manager.getOrSet('default')
  // ioredis retries every second while Redis is away: log each new error once.
  let last: string | undefined
  opened.on('error', (error) => {
    if (error.message === last) return
    last = error.message
    logger.warn({ err: error }, 'job queue error')
  })
  return opened
}

/** Job states in which a job will still run by itself. */
const WILL_RUN = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children'])

/**
 * Whether the job queued under `jobId` will still run without help: not
 * when there is none, it finished or failed, or it is active in a worker
 * that may have died (the sweeps queue another then).
 */
export async function willRunByItself(jobId: string) {
  const jobs = await defaultQueue()
  const job = await jobs.getJob(jobId)
  return job ? WILL_RUN.has(await job.getState()) : false
}

/** Queues a job under its stable name, with the configured retry policy. */
export async function dispatchJob<Payload>(
  JobClass: JobClass<Payload>,
  payload: Payload,
  options: JobsOptions = {}
) {
  const { jobs } = app.config.get<QueueConfig>('queue')
  const target = await defaultQueue()
  return target.add(JobClass.jobName, payload, { ...jobs, ...options })
}

/** Builds a job through the container and hands it its BullMQ job and logger. */
export async function makeJob<Payload>(
  container: ApplicationService['container'],
  JobClass: JobClass<Payload>,
  job: BullJob,
  jobLogger: LoggerService
) {
  const instance = await container.make(JobClass as unknown as new () => QueuedJob<Payload>)
  instance.$injectInternal({ job, logger: jobLogger })
  return instance
}
