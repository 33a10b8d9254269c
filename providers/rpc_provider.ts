import type { ApplicationService } from '@adonisjs/core/types'
import { RpcClient } from '#rpc/client'

/**
 * One RPC client (one AMQP connection) per process, opened on first use
 * and closed on shutdown.
 */
export default class RpcProvider {
  #client?: RpcClient

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(RpcClient, () => {
      this.#client = new RpcClient({ url: this.app.config.get('rabbitmq.url') })
      return this.#client
    })
  }

  async shutdown() {
    await this.#client?.close()
  }
}
