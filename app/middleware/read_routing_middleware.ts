import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { inject } from '@adonisjs/core'
import { ReadRouting } from '#services/database/read_routing'

const READS_ONLY = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Each request's reads: a request that may write reads the primary (what
 * it reads decides what it writes) and keeps its person on the primary for
 * DB_STICKY_MS; others read a replica unless their person wrote just now.
 */
@inject()
export default class ReadRoutingMiddleware {
  constructor(private readRouting: ReadRouting) {}

  handle({ request }: HttpContext, next: NextFn) {
    if (!this.readRouting.enabled) return next()
    return this.readRouting.request(!READS_ONLY.has(request.method()), next)
  }
}
