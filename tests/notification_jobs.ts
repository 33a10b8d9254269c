import app from '@adonisjs/core/services/app'
import type { Job } from 'bullmq'
import WriteNotification from '#jobs/write_notification'
import NotifyLikes from '#jobs/notify_likes'
import { defaultQueue } from '#jobs/bull_adapter'
import redis from '@adonisjs/redis/services/main'
import { ONLINE_KEY } from '#services/notifications/presence'

/** The WriteNotification jobs waiting in Redis (no worker runs in this suite). */
export async function queuedJobs(): Promise<Job[]> {
  const queue = await defaultQueue()
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized'])
  return jobs.filter((job) => job.name === 'WriteNotification')
}

/**
 * Does what the worker does with each queued job and a drain of the likes
 * owed their notification, then empties the queue.
 */
export async function runQueuedJobs() {
  const jobs = await queuedJobs()
  for (const job of jobs) {
    const instance = await app.container.make(WriteNotification)
    await instance.handle(job.data)
  }
  await (await app.container.make(NotifyLikes)).handle()
  await (await defaultQueue()).drain()
  return jobs
}

/**
 * Marks users online for a minute, as an open live stream does: only they
 * are told live of what is written for them. Undone by `forgetOnline`.
 */
export async function online(...users: { id: number }[]) {
  const until = Date.now() + 60_000
  await redis.zadd(ONLINE_KEY, ...users.flatMap((user) => [until, String(user.id)]))
}

export async function forgetOnline() {
  await redis.del(ONLINE_KEY)
}
