import type { Queue } from 'bullmq'
import ExpireFriendRequests from '#jobs/expire_friend_requests'

/**
 * Repeatable jobs, each under a fixed scheduler id: every worker upserts
 * the same schedules at start, and BullMQ keeps one of each however many
 * workers run (and replaces it when its interval changes here).
 */
export const SCHEDULES = [
  {
    id: 'expire-friend-requests',
    job: ExpireFriendRequests.jobName,
    every: 60 * 60 * 1000,
  },
] as const

export async function upsertSchedules(queue: Queue) {
  for (const schedule of SCHEDULES) {
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
  }
}
