import amqp from 'amqplib'
import type { ChannelModel } from 'amqplib'

/**
 * An AMQP connection that reconnects by itself (amqplib's recovery) and
 * runs `setup` after every (re)connect to rebuild channels and consumers.
 * The first attempt is not retried, so a broker that is down fails fast.
 */
export function connectWithRecovery(url: string, setup: (model: ChannelModel) => Promise<void>) {
  return amqp.connect(url, {
    timeout: 5000,
    recovery: { initialMaxRetries: 0, maxRetries: Infinity, maxDelay: 5000, setup },
  })
}
