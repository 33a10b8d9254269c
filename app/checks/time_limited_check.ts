import { BaseCheck, Result } from '@adonisjs/core/health'
import type { HealthCheckContract } from '@adonisjs/core/types/health'
import { withTimeout } from '#helpers/timeout'

/**
 * Bounds another check: a dependency that hangs (an offline Redis queues
 * commands forever) is reported as failed instead of stalling readiness.
 */
export class TimeLimitedCheck extends BaseCheck {
  name: string

  constructor(
    private check: HealthCheckContract,
    private limitMs: number
  ) {
    super()
    this.name = check.name
  }

  async run() {
    const message = `${this.name} did not answer within ${this.limitMs} ms`
    return withTimeout(this.check.run(), this.limitMs, message).catch(() => Result.failed(message))
  }
}
