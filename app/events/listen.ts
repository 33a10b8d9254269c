import app from '@adonisjs/core/services/app'
import emitter from '@adonisjs/core/services/emitter'
import logger from '@adonisjs/core/services/logger'
import type { EventsList } from '@adonisjs/core/types'
import type { Logger } from '@adonisjs/core/logger'

type MethodFor<E extends keyof EventsList, L> = {
  [K in keyof L]: L[K] extends (data: EventsList[E]) => Promise<unknown> ? K & string : never
}[keyof L]

type LazyListener<L> = () => Promise<{ default: new (...args: any[]) => L }>

/**
 * The one failure policy for listeners. An event is emitted after its use
 * case committed, so a listener's failure is logged with the event and the
 * listener and never reaches the use case: the change stands, and whatever
 * the listener left undone is owed by a row a sweep finds (a job) or ends
 * with a cache's TTL (a drop). Each listener runs on its own, so one
 * failing does not stop the others.
 */
export function guarded<E extends keyof EventsList, L>(
  event: E,
  load: LazyListener<L>,
  method: MethodFor<E, L>,
  log: Pick<Logger, 'error'> = logger
) {
  return async (data: EventsList[E]) => {
    let listener: string = method
    try {
      const { default: Listener } = await load()
      listener = `${Listener.name}.${method}`
      const instance = (await app.container.make(Listener)) as Record<string, Function>
      await instance[method](data)
    } catch (error) {
      log.error({ err: error, event, listener }, `listener of ${event} failed`)
    }
  }
}

/** Registers a lazily imported listener's method for an event, under the policy above. */
export function listen<E extends keyof EventsList, L>(
  event: E,
  load: LazyListener<L>,
  method: MethodFor<E, L>
) {
  emitter.on(event, guarded(event, load, method))
}
