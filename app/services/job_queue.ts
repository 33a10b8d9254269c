import type { Queue } from 'bullmq'

let queue: Promise<Queue> | undefined

/**
 * bull-queue's "default" queue, with an error listener: without one, a
 * Redis hiccup emits an unhandled 'error' event and kills the process.
 * Imported lazily so loading this module opens no connection; the promise
 * is kept, so concurrent first callers share one queue and one listener.
 */
export function defaultQueue() {
  queue ??= openDefaultQueue()
  return queue
}

async function openDefaultQueue() {
  const { default: manager } = await import('@rlanz/bull-queue/services/main')
  const { default: logger } = await import('@adonisjs/core/services/logger')
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
