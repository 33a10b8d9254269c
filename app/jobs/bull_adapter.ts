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
import { withTimeout } from '#helpers/timeout'

export type QueueConfig = ReturnType<typeof defineConfig>

/**
 * A job class: `jobName` is the stable name stored in Redis (never a file
 * path, so a worker running another tree than the dispatcher still finds
 * it; app/jobs/main.ts maps names back to classes).
 */
export abstract class QueuedJob<Payload> extends Job {
  static jobName: string
  /** Runs every few seconds (a sweep): its completions are logged at debug, not info. */
  static routine = false
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
  // Closing the queue sends QUIT, which fails while Redis is away and
  // aborts the rest of the shutdown: drop a connection that is not up
  // instead (start/redis.ts does the same for the app's connections).
  app.terminating(async () => {
    // A queue that never connected has no client yet: BullMQ drops it itself.
    const client = await withTimeout(opened.client, 100, 'never connected').catch(() => null)
    if (client && client.status !== 'ready') {
      client.disconnect()
      // Between two attempts ioredis stays "reconnecting" after disconnect();
      // BullMQ would then QUIT it. Marked ended, as BullMQ does after a close.
      Object.assign(client, { status: 'end' })
    }
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

/**
 * Drops the deduplication key `id` when the job it names will not run
 * (gone, finished or failed): every later add under it would be dropped.
 * A job that is active stays: if its worker died, Bull's stall check
 * hands it to another.
 */
export async function releaseStaleDeduplication(id: string) {
  const jobs = await defaultQueue()
  const jobId = await jobs.getDeduplicationJobId(id)
  if (!jobId) return
  const job = await jobs.getJob(jobId)
  const state = job ? await job.getState() : 'unknown'
  if (state !== 'active' && !WILL_RUN.has(state)) await jobs.removeDeduplicationKey(id)
}

/**
 * How long a caller waits for Redis to take a job. The queue's connection
 * fails at once while Redis is away (config/queue.ts), but a queue that has
 * never connected waits for its first connection: this bounds that too.
 */
const DISPATCH_TIMEOUT_MS = 500

/**
 * Queues a job under its stable name, with the configured retry policy, or
 * rejects within half a second: every job that matters is owed by a row that a
 * worker's sweep finds again.
 */
export async function dispatchJob<Payload>(
  JobClass: JobClass<Payload>,
  payload: Payload,
  options: JobsOptions = {}
) {
  const { jobs } = app.config.get<QueueConfig>('queue')
  const target = await defaultQueue()
  return withTimeout(
    target.add(JobClass.jobName, payload, { ...jobs, ...options }),
    DISPATCH_TIMEOUT_MS,
    `Redis did not take the ${JobClass.jobName} job in time`
  )
}

/**
 * Queues owed work (a sweep's find) under `jobId`, unless a job there will
 * still run by itself. When one holds the id but will not run again
 * (finished, failed, or active in a worker that may have died), the work
 * gets a fresh id beside it: running it twice is harmless, waiting for
 * Bull's stall check is not. Returns whether it queued.
 */
export async function redispatch<Payload>(
  JobClass: JobClass<Payload>,
  payload: Payload,
  jobId: string,
  options: JobsOptions = {}
) {
  const jobs = await defaultQueue()
  const existing = await jobs.getJob(jobId)
  if (existing && WILL_RUN.has(await existing.getState())) return false
  const id = existing ? `${jobId}-again-${Date.now()}` : jobId
  await dispatchJob(JobClass, payload, { ...options, jobId: id })
  return true
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
