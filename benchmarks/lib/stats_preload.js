/*
| Preloaded into the bench's web processes only (`node --import`): on
| SIGUSR2 it prints the hit counts of the app's in-process caches
| (app/cache/stores.ts, resolved from the app's container) on one line,
| which the bench reads from the process's output to report hit rates.
*/
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

process.on('SIGUSR2', async () => {
  // The same URLs the app imports, so the same module instances and container.
  const here = createRequire(join(process.cwd(), 'package.json'))
  const { default: app } = await import(
    pathToFileURL(here.resolve('@adonisjs/core/services/app')).href
  )
  const { CacheStores } = await import(pathToFileURL(join(process.cwd(), 'app/cache/stores.js')).href)
  const stores = await app.container.make(CacheStores)
  process.stdout.write(`HOT_MAP_STATS ${JSON.stringify(stores.stats())}\n`)
})
