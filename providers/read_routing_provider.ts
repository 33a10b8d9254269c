import type { ApplicationService } from '@adonisjs/core/types'
import type { ConnectionContract as Connection } from '@adonisjs/lucid/types/database'
import { ReadRouting } from '#services/database/read_routing'
import { readRouting as settings, replicaConnections } from '#config/database'

/**
 * One ReadRouting per process (app/services/database/read_routing.ts). Only the web
 * server installs it and watches the replicas: the worker and the commands
 * read the primary, since nearly all they read decides a write.
 */
export default class ReadRoutingProvider {
  #timer?: NodeJS.Timeout
  #stopped = false

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(ReadRouting, async (resolver) => {
      return new ReadRouting(
        await resolver.make('lucid.db'),
        replicaConnections,
        settings,
        await resolver.make('redis')
      )
    })
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const routing = await this.app.container.make(ReadRouting)
    if (!routing.enabled) return
    const db = await this.app.container.make('lucid.db')
    const emitter = await this.app.container.make('emitter')
    const install = (connection: Connection) => {
      // Only the app's own primary connection (a test may build others).
      if (connection === db.manager.get(db.primaryConnectionName)?.connection) {
        routing.install(connection)
      }
    }
    db.manager.connect(db.primaryConnectionName)
    install(db.manager.get(db.primaryConnectionName)!.connection!)
    // Lucid builds a new one after closing it: until it is installed, reads go to the primary.
    emitter.on('db:connection:connect', install)
    this.#watch(routing)
  }

  /**
   * Per process, not a queue job: each web process routes its own reads by
   * what it has seen of the replicas, and must stop routing to one that
   * fails within a check interval. Each round starts after the last ended.
   */
  #watch(routing: ReadRouting) {
    const round = async () => {
      await routing.health.check()
      if (!this.#stopped) this.#timer = setTimeout(round, settings.checkEveryMs).unref()
    }
    void round()
  }

  async shutdown() {
    this.#stopped = true
    clearTimeout(this.#timer)
  }
}
