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
| A fourth line holds what explains a latency tail since the line before:
| the longest single pause of each kind, and the event loop's delay
| percentiles (how late a timer fired: everything the loop ran meanwhile).
*/
import { createRequire } from 'node:module'
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks'
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
let gcLongest = {}
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = gcKinds[entry.detail.kind]
    gcMs[kind] += entry.duration
    gcLongest[kind] = Math.max(gcLongest[kind] ?? 0, entry.duration)
  }
}).observe({ entryTypes: ['gc'] })
const LOOP_RESOLUTION_MS = 10
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
loopDelay.enable()

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
  // The histogram holds the timer's intervals: its resolution is not delay.
  const ms = (ns) => Math.max(0, Math.round(ns / 1e5 - 10 * LOOP_RESOLUTION_MS) / 10)
  const stalls = {
    gcLongest: Object.fromEntries(Object.entries(gcLongest).map(([k, v]) => [k, Math.round(v)])),
    loopDelay: {
      p50: ms(loopDelay.percentile(50)),
      p99: ms(loopDelay.percentile(99)),
      max: ms(loopDelay.max),
    },
  }
  gcLongest = {}
  loopDelay.reset()
  process.stdout.write(
    `HOT_MAP_STATS ${JSON.stringify(stores.stats())}\nPEAK_MEMORY ${JSON.stringify(memory)}\n` +
      `GC_MS ${JSON.stringify(gcMs)}\nSTALLS ${JSON.stringify(stalls)}\n`
  )
})
