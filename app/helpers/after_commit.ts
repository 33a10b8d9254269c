import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

const inFlight = new Set<Promise<unknown>>()
let awaitedOnExit = false

/**
 * Runs `work` once the transaction commits (never if it rolls back). Lucid
 * neither awaits nor reports what runs there, so failures are logged here,
 * and a short-lived process (an ace command) waits for the work before it
 * exits.
 */
export function afterCommit(
  trx: TransactionClientContract,
  description: string,
  work: () => Promise<unknown>
) {
  trx.after('commit', () => {
    const running = work()
      .catch((error) => logger.warn({ err: error }, `${description} failed after commit`))
      .finally(() => inFlight.delete(running))
    inFlight.add(running)
    if (!awaitedOnExit) {
      awaitedOnExit = true
      // Bounded: with Redis away a job waits in ioredis's queue indefinitely.
      app.terminating(async () => {
        const pause = new Promise((done) => setTimeout(done, 3000).unref())
        await Promise.race([Promise.allSettled(inFlight), pause])
      })
    }
  })
}
