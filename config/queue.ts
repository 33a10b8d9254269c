import env from '#start/env'
import { defineConfig } from '@rlanz/bull-queue'

export default defineConfig({
  /*
  | The same Redis as the rest of the app: one source of settings.
  */
  defaultConnection: {
    host: env.get('REDIS_HOST'),
    port: env.get('REDIS_PORT'),
    password: env.get('REDIS_PASSWORD'),
    db: env.get('REDIS_DB', 0),
  },

  queue: {},

  worker: {},

  jobs: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  },
})
