import env from '#start/env'

/**
 * RabbitMQ settings shared by the RPC client, the RPC server and the
 * readiness check (each bounds its own connect time: app/rpc/connection.ts,
 * start/health.ts).
 */
const rabbitmqConfig = {
  url: env.get('AMQP_URL'),
}

export default rabbitmqConfig
