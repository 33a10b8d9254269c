import { inject } from '@adonisjs/core'
import { Logger } from '@adonisjs/core/logger'
import type { Queue } from 'bullmq'
import ExpireFriendRequests from '#jobs/expire_friend_requests'
import { defaultQueue } from '#jobs/bull_adapter'
import { PeriodicSweep } from '#jobs/periodic_sweep'
import { withTimeout } from '#helpers/timeout'

/**
 * Repeatable jobs, each under a fixed scheduler id: BullMQ keeps one of each
 * however many workers upsert it.
 */
export const SCHEDULES = [
  {
    id: 'expire-friend-requests',
    job: ExpireFriendRequests.jobName,
    every: 60 * 60 * 1000,
  },
] as const

/**
 * Upserts each schedule Redis lacks, or holds with another interval than
 * here; returns how many. One left as it is keeps its next run.
 */
export async function ensureSchedules(queue: Queue) {
  let upserted = 0
  for (const schedule of SCHEDULES) {
    const current = await queue.getJobScheduler(schedule.id)
    if (current?.every === schedule.every) continue
    await queue.upsertJobScheduler(
      schedule.id,
      { every: schedule.every },
      {
        name: schedule.job,
        data: {},
        opts: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 60_000 },
          removeOnComplete: 100,
          removeOnFail: 100,
        },
      }
    )
    upserted++
  }
  return upserted
}

/**
 * Schedules live in Redis only: checked at start and then periodically
 * (`node ace worker --schedules-every`), so they come back by themselves
 * after Redis loses its data (a FLUSHALL, a server without persistence).
 */
@inject()
export class ScheduleKeeper extends PeriodicSweep {
  protected what = { sweep: 'schedule', items: 'schedules' }

  constructor(protected logger: Logger) {
    super()
  }

  /** Bounded: a queue that never reached Redis waits for it, and stop() waits for the pass. */
  protected async pass() {
    return withTimeout(ensureSchedules(await defaultQueue()), 5000, 'Redis did not answer')
  }
}
