import type { ApplicationService } from '@adonisjs/core/types'
import type { ConnectionContract as Connection } from '@adonisjs/lucid/types/database'

/**
 * Read replicas, for the web server only (adonisrc.ts): its reads go to
 * healthy replicas (app/services/read_routing.ts). The worker and the
 * commands read the primary: nearly all they read decides a write.
 */
export default class ReadRoutingProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    const { readRouting } = await import('#services/read_routing')
    if (!readRouting.enabled) return
    const db = await this.app.container.make('lucid.db')
    const emitter = await this.app.container.make('emitter')
    const install = (connection: Connection) => {
      // Only the app's own primary connection (a test may build others).
      if (connection === db.manager.get(db.primaryConnectionName)?.connection) {
        readRouting.install(connection)
      }
    }
    db.manager.connect(db.primaryConnectionName)
    install(db.manager.get(db.primaryConnectionName)!.connection!)
    // Lucid builds a new one after closing it: until it is installed, reads go to the primary.
    emitter.on('db:connection:connect', install)
    readRouting.health.start()
  }

  async shutdown() {
    const { readRouting } = await import('#services/read_routing')
    readRouting.health.stop()
  }
}
