/*
| Preloaded into the bench's web processes only (`node --import`): on
| SIGUSR2 it prints the hit counts of the app's in-process caches
| (app/cache/stores.ts, resolved from the app's container) on one line,
| which the bench reads from the process's output to report hit rates, and
| on the next what the process's memory was made of at its highest RSS so
| far (sampled every 100 ms): V8's heap, memory outside it that V8 knows of
| (external, of which array buffers), and the rest (code, native libraries,
| malloc: argon2's buffers), and on a third the time its event loop has
| stood still for garbage collection since it started, by kind (scavenges of
| the young generation, the old generation's full and incremental marks).
*/
import { createRequire } from 'node:module'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

let peak = process.memoryUsage()
const sample = () => {
  const now = process.memoryUsage()
  if (now.rss > peak.rss) peak = now
}
setInterval(sample, 100).unref()

const gcKinds = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
}
const gcMs = Object.fromEntries(Object.values(gcKinds).map((kind) => [kind, 0]))
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs[gcKinds[entry.detail.kind]] += entry.duration
}).observe({ entryTypes: ['gc'] })

const mb = (bytes) => Math.round(bytes / (1024 * 1024))

process.on('SIGUSR2', async () => {
  sample()
  // The same URLs the app imports, so the same module instances and container.
  const here = createRequire(join(process.cwd(), 'package.json'))
  const { default: app } = await import(
    pathToFileURL(here.resolve('@adonisjs/core/services/app')).href
  )
  const { CacheStores } = await import(
    pathToFileURL(join(process.cwd(), 'app/cache/stores.js')).href
  )
  const stores = await app.container.make(CacheStores)
  const memory = {
    rss: mb(peak.rss),
    heapTotal: mb(peak.heapTotal),
    heapUsed: mb(peak.heapUsed),
    external: mb(peak.external),
    arrayBuffers: mb(peak.arrayBuffers),
    other: mb(peak.rss - peak.heapTotal - peak.external),
  }
  process.stdout.write(
    `HOT_MAP_STATS ${JSON.stringify(stores.stats())}\nPEAK_MEMORY ${JSON.stringify(memory)}\n` +
      `GC_MS ${JSON.stringify(gcMs)}\n`
  )
})
