import logger from '@adonisjs/core/services/logger'
import type { BentoCache } from '@adonisjs/cache'
import { withTimeout } from '#helpers/timeout'

/** Where a cache's bus reports the changes other replicas made: the app's emitter. */
export interface BusEvents {
  on(
    event: 'bus:message:received',
    listener: (data: { message: { type: string; keys?: string[] } }) => void
  ): unknown
}

/**
 * Calls each handler with the id in the keys other replicas dropped that
 * match its pattern (`users:(\d+):public`), and `dropAll` when they cleared
 * the cache: how an in-process copy follows the bus.
 */
export function onDroppedKeys(
  events: BusEvents,
  handlers: [pattern: RegExp, drop: (id: number) => void][],
  dropAll: () => void
) {
  events.on('bus:message:received', ({ message }) => {
    if (message.type === 'clear') return dropAll()
    for (const key of message.keys ?? []) {
      for (const [pattern, drop] of handlers) {
        const match = pattern.exec(key)
        if (match) drop(Number(match[1]))
      }
    }
  })
}

/**
 * Deletes `key` through the cache, whose bus tells every other replica to
 * drop it. With Redis away the message waits in ioredis's queue and goes out
 * when Redis is back: the change that asked must not wait for that, so
 * after 250 ms it is logged (`what` was not dropped everywhere yet) instead.
 */
export async function dropEverywhere(
  store: Pick<BentoCache<any>, 'delete'>,
  key: string,
  what: string,
  context: object
) {
  await withTimeout(store.delete({ key }), 250, 'cache delete timed out').catch((error) =>
    logger.warn({ err: error, ...context }, `${what} not dropped everywhere yet`)
  )
}
