import BaseTransmitProvider from '@adonisjs/transmit/transmit_provider'
import { authorizeNotificationChannels } from '#services/notification_stream'

/**
 * @adonisjs/transmit's provider, with our channel rules applied to the
 * instance when it is first made, and a shutdown that leaves alone an
 * instance never made: the package's would open two Redis connections at the
 * end of every ace command just to close them.
 */
export default class TransmitProvider extends BaseTransmitProvider {
  #made = false

  register() {
    super.register()
    this.app.container.resolving('transmit', (transmit) => {
      this.#made = true
      authorizeNotificationChannels(transmit)
    })
  }

  async shutdown() {
    if (this.#made) await super.shutdown()
  }
}
