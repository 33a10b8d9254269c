import type { Queue } from 'bullmq'

let queue: Queue | undefined

/**
 * bull-queue's "default" queue, with an error listener: without one, a
 * Redis hiccup emits an unhandled 'error' event and kills the process.
 * Imported lazily so loading this module opens no connection.
 */
export async function defaultQueue() {
  if (!queue) {
    const { default: manager } = await import('@rlanz/bull-queue/services/main')
    const { default: logger } = await import('@adonisjs/core/services/logger')
    queue = manager.getOrSet('default')
    // ioredis retries every second while Redis is away: log each new error once.
    let last: string | undefined
    queue.on('error', (error) => {
      if (error.message === last) return
      last = error.message
      logger.warn({ err: error }, 'job queue error')
    })
  }
  return queue
}
