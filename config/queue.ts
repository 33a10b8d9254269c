import { defineConfig } from '@rlanz/bull-queue'
import { redisServer, retryStrategy } from '#config/redis'

export default defineConfig({
  /*
  | The same Redis as the rest of the app (config/redis.ts): one server, or
  | Sentinel's primary.
  */
  defaultConnection: { ...redisServer, retryStrategy },

  /*
  | Adding a job fails at once while Redis is away instead of waiting in
  | ioredis's offline queue: the request that queues it answers, and the
  | row it wrote (outbox, fanned_out_at, notified_at) lets a worker's sweep
  | queue it later. Workers keep BullMQ's defaults: they wait for Redis.
  */
  queue: { connection: { ...redisServer, retryStrategy, enableOfflineQueue: false } },

  /*
  | A job whose worker died (SIGKILL, a lost machine) goes back to the queue
  | once its lock has run out and the next stall check sees it: 15 s and
  | every 5 s here instead of BullMQ's 30 s and 30 s, so the fan-out drain
  | (one job for every post owed, deduplicated while it exists) is picked
  | up again within about 20 s, not a minute. A worker renews its locks
  | every 7.5 s while it runs; a job run twice is safe (every job is).
  */
  worker: { lockDuration: 15_000, stalledInterval: 5_000 },

  jobs: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  },
})
