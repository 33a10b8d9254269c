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

  worker: {},

  jobs: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  },
})
