import env from '#start/env'

/**
 * RabbitMQ settings shared by the RPC client, the RPC server and the
 * readiness check.
 */
const rabbitmqConfig = {
  url: env.get('AMQP_URL'),
  /** Give up connecting after this long, so callers fail fast. */
  connectTimeout: 1500,
}

export default rabbitmqConfig
