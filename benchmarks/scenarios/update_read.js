/*
| Profile updates interleaved with reads across two replicas
| (benchmarks/update_read.js): a read after an update must show it on the
| replica that took it; on the other, within the Redis bus's delay.
*/
import { join } from 'node:path'
import { runJson } from '../lib/processes.js'
import { round } from '../lib/results.js'

export default {
  name: 'updates across replicas',

  async run(bench) {
    const { stack, settings, results } = bench
    const stop = stack.watch()
    const updates = await runJson(join(settings.here, 'update_read.js'), {
      writeUrl: stack.appA.url,
      readUrl: stack.appB.url,
      tokens: bench.updaters,
      duration: settings.duration,
    })
    results.record('update_read', 'PATCH on A + GET on A and B', updates, stop(), {
      updates: updates.updates,
      updatesPerSecond: round(updates.updatesPerSecond, 0),
      stale: updates.stale,
      staleOther: updates.staleOther,
      leaks: updates.leaks,
    })
  },

  targets(results) {
    const row = results.get('update_read')
    return [
      [
        'Read after update shows it on the same replica; no email leaks',
        `${row.stale} stale, ${row.leaks} leaks`,
        row.stale === 0 && row.leaks === 0,
      ],
      [
        'Read after update shows it on the other replica (Redis bus)',
        `${row.staleOther} stale of ${row.updates}`,
        row.staleOther === 0,
      ],
    ]
  },
}
