/*
| POST /api/posts (text) with a bearer token, beside a floor that checks
| the token and INSERTs. Fan-out to friends' feeds must stay off the
| request's path.
*/
import { ratio } from '../lib/results.js'

export default {
  name: 'post creation',
  requires: ['posts'],

  async run(bench) {
    const { stack, results, viewers } = bench
    const spec = { kind: 'post', tokens: viewers, connections: 64 }
    const [floor, app] = await bench.versus(
      { ...spec, url: stack.floorUrl },
      { ...spec, url: stack.appA.url }
    )
    const floorRow = results.record(
      'floor_post',
      'floor POST /api/posts',
      floor.result,
      floor.rss,
      { floor: true }
    )
    const row = results.record('api_post', 'POST /api/posts (bearer)', app.result, app.rss, {
      rounds: app.rounds,
    })
    row.ratioToFloor = ratio(row.rps, floorRow.rps)
  },

  targets(results) {
    const row = results.get('api_post')
    return [
      [
        'POST /api/posts ≥ 0.5× its floor',
        `${row.ratioToFloor}×`,
        row.ratioToFloor >= 0.5 && row.errors === 0,
      ],
    ]
  },
}
