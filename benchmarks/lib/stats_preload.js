/*
| Preloaded into the bench's web processes only (`node --import`): on
| SIGUSR2 it prints the hit counts of the app's in-process caches
| (app/helpers/hot_map.ts) on one line, which the bench reads from the
| process's output to report hit rates.
*/
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

process.on('SIGUSR2', async () => {
  // The same URL the app imports, so the same module instance and counters.
  const { HotMap } = await import(pathToFileURL(join(process.cwd(), 'app/helpers/hot_map.js')).href)
  process.stdout.write(`HOT_MAP_STATS ${JSON.stringify(HotMap.stats())}\n`)
})
