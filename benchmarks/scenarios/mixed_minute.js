/*
| A minute of mixed traffic at 64 connections: 90% feed and profile reads,
| 8% posts, 2% friend requests; beside the same reads alone.
*/
import { round } from '../lib/results.js'

export default {
  name: 'mixed minute',
  requires: ['posts', 'friendships'],

  async run(bench) {
    const { stack, settings, viewers } = bench
    const spec = {
      kind: 'mixed',
      url: stack.appA.url,
      path: '/api/users/:id',
      feedPath: '/api/feed',
      tokens: viewers,
      target: 'other',
      connections: 64,
      zipf: settings.zipf,
    }

    const reads = await bench.measure('mixed_reads', 'feed + profile reads alone', {
      ...spec,
      readOnly: true,
    })
    const mixed = await bench.measure(
      'mixed_minute',
      `mixed: 90% reads, 8% posts, 2% friend requests (${settings.mixedSeconds} s)`,
      { ...spec, duration: settings.mixedSeconds },
      0
    )
    mixed.p99Ratio = round(mixed.p99 / Math.max(reads.p99, 0.001), 2)
    await bench.snapshotCaches('mixed minute')
  },

  targets(results) {
    const mixed = results.get('mixed_minute')
    return [
      [
        'Mixed minute: zero errors',
        `${mixed.errors} errors, ${mixed.leaks ?? 0} leaks`,
        mixed.errors === 0 && !mixed.leaks,
      ],
      [
        'Mixed minute: p99 ≤ 3× the read-only p99',
        `${mixed.p99} ms = ${mixed.p99Ratio}×`,
        mixed.p99Ratio <= 3,
      ],
    ]
  },
}
