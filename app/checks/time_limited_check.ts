import logger from '@adonisjs/core/services/logger'
import { BaseCheck, Result } from '@adonisjs/core/health'
import type { HealthCheckContract } from '@adonisjs/core/types/health'
import { withTimeout } from '#helpers/timeout'

/**
 * Runs a freshly built check within a time bound: a dependency that hangs
 * (an offline Redis queues commands forever) is reported as failed instead
 * of stalling readiness. The public result says only "unavailable"; what
 * went wrong (hosts, error codes) goes to the log.
 */
export class TimeLimitedCheck extends BaseCheck {
  constructor(
    public name: string,
    private build: () => HealthCheckContract,
    private limitMs: number
  ) {
    super()
  }

  async run() {
    const reason = await withTimeout(
      this.build().run(),
      this.limitMs,
      `did not answer within ${this.limitMs} ms`
    )
      .then((result) => (result.status === 'error' ? result.message : undefined))
      .catch((error: Error) => error.message)

    if (reason === undefined) {
      return Result.ok('available')
    }
    logger.warn({ check: this.name, reason }, 'readiness check failed')
    return Result.failed('unavailable')
  }
}
