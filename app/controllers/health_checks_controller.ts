import type { HttpContext } from '@adonisjs/core/http'
import { readinessChecks } from '#start/health'

export default class HealthChecksController {
  /**
   * Liveness touches no dependency: it only proves the process serves.
   */
  live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /**
   * Readiness probes MySQL, Redis and RabbitMQ; 503 names what is down.
   */
  async ready({ response }: HttpContext) {
    // debugInfo (pid, versions, uptime) is not for the public internet.
    const checks = await readinessChecks()
    const { debugInfo, ...report } = await checks.run()
    if (report.isHealthy) {
      return response.ok(report)
    }

    const errors = report.checks
      .filter((check) => check.status === 'error')
      .map((check) => ({ message: `${check.name}: unavailable` }))
    return response.serviceUnavailable({ errors, report })
  }
}
