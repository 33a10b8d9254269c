import { inject } from '@adonisjs/core'
import { Logger } from '@adonisjs/core/logger'
import type { JobsOptions, Queue } from 'bullmq'
import ExpireFriendRequests from '#jobs/expire_friend_requests'
import OutboxSweeper from '#jobs/outbox_sweeper'
import FanOutSweeper from '#jobs/fan_out_sweeper'
import NotificationSweeper from '#jobs/notification_sweeper'
import { defaultQueue } from '#jobs/bull_adapter'
import { withTimeout } from '#helpers/timeout'

/**
 * A repeatable job under a fixed scheduler id: BullMQ keeps one of each
 * however many workers upsert it, so each run happens once, on one worker.
 */
export interface Schedule {
  id: string
  job: string
  every: number
  data: object
  opts: JobsOptions
}

/**
 * All of the app's periodic work. The sweeps are not retried (the next run
 * is the retry); the expiry, hourly, is.
 */
export function schedules({ sweepEverySeconds }: { sweepEverySeconds: number }): Schedule[] {
  const sweep = (id: string, job: string) => ({
    id,
    job,
    every: sweepEverySeconds * 1000,
    data: { everySeconds: sweepEverySeconds },
    opts: { attempts: 1, removeOnComplete: 10, removeOnFail: 100 },
  })
  return [
    {
      id: 'expire-friend-requests',
      job: ExpireFriendRequests.jobName,
      every: 60 * 60 * 1000,
      data: {},
      opts: {
        attempts: 3,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: 100,
        removeOnFail: 100,
      },
    },
    sweep('sweep-outbox', OutboxSweeper.jobName),
    sweep('sweep-fan-outs', FanOutSweeper.jobName),
    sweep('sweep-notifications', NotificationSweeper.jobName),
  ]
}

/**
 * Upserts each schedule Redis lacks, or holds with another interval than
 * asked; returns how many. One left as it is keeps its next run.
 */
export async function ensureSchedules(queue: Queue, wanted: Schedule[]) {
  let upserted = 0
  for (const schedule of wanted) {
    const current = await queue.getJobScheduler(schedule.id)
    if (current?.every === schedule.every) continue
    await queue.upsertJobScheduler(
      schedule.id,
      { every: schedule.every },
      { name: schedule.job, data: schedule.data, opts: schedule.opts }
    )
    upserted++
  }
  return upserted
}

/**
 * Schedules live in Redis only, so they cannot bring themselves back: the
 * worker checks them at start and then every `--schedules-every` seconds
 * (commands/worker.ts), so they return by themselves after Redis loses its
 * data (a FLUSHALL, a server without persistence). That check is the one
 * timer a worker keeps; the periodic work itself runs as the jobs above.
 */
@inject()
export class ScheduleKeeper {
  constructor(private logger: Logger) {}

  /** One check, bounded (a queue that never reached Redis waits for it); logged, never thrown. */
  async keep(wanted: Schedule[]) {
    try {
      const queue = await defaultQueue()
      const upserted = await withTimeout(
        ensureSchedules(queue, wanted),
        5000,
        'Redis did not answer'
      )
      if (upserted) this.logger.info({ count: upserted }, 'repeatable jobs scheduled')
    } catch (error) {
      this.logger.warn({ err: error }, 'schedule check failed; the next check retries')
    }
  }

  /**
   * Calls `check` each time the queue's Redis connection comes back: a
   * restarted Redis without persistence has lost every schedule, and the
   * outbox sweep is what sends the emails a request could not queue meanwhile.
   */
  async onReconnect(check: () => void) {
    const queue = await defaultQueue()
    const client = await queue.client
    client.on('ready', check)
    return () => void client.off('ready', check)
  }
}
