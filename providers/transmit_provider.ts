import type { ContainerBindings } from '@adonisjs/core/types'
import BaseTransmitProvider from '@adonisjs/transmit/transmit_provider'

/**
 * @adonisjs/transmit's provider, with a shutdown that leaves alone an
 * instance never made: the package's would open two Redis connections at the
 * end of every ace command just to close them.
 */
export default class TransmitProvider extends BaseTransmitProvider {
  #transmit?: ContainerBindings['transmit']

  register() {
    super.register()
    this.app.container.resolving('transmit', (transmit) => {
      this.#transmit = transmit
    })
  }

  /**
   * Open streams would keep the HTTP server from closing on SIGTERM: end
   * them first, and the browsers reconnect to another replica.
   */
  async boot() {
    this.app.terminating(() => {
      for (const [stream] of this.#transmit?.getManager().getAllSubscribers() ?? []) {
        stream.end()
      }
    })
  }

  async shutdown() {
    if (this.#transmit) await super.shutdown()
  }
}
