import { BaseCheck, Result } from '@adonisjs/core/health'
import type { HealthCheckContract } from '@adonisjs/core/types/health'

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
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<Result>((resolve) => {
      timer = setTimeout(
        () => resolve(Result.failed(`${this.name} did not answer within ${this.limitMs} ms`)),
        this.limitMs
      )
    })
    try {
      return await Promise.race([this.check.run(), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}
