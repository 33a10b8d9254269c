import amqp from 'amqplib'
import { BaseCheck, Result } from '@adonisjs/core/health'

/**
 * Opens and closes an AMQP connection. The web process holds no broker
 * connection of its own, so a short-lived one is the honest probe.
 */
export class RabbitMqCheck extends BaseCheck {
  name = 'RabbitMQ'

  constructor(
    private url: string,
    private timeoutMs: number
  ) {
    super()
  }

  async run() {
    try {
      const connection = await amqp.connect(this.url, { timeout: this.timeoutMs })
      await connection.close()
      return Result.ok('Connected to RabbitMQ')
    } catch (error) {
      return Result.failed(`RabbitMQ is unreachable: ${error.message}`, error)
    }
  }
}
