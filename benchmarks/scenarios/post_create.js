/*
| POST /api/posts (text) with a bearer token, beside a floor that checks
| the token and INSERTs. Fan-out to friends' feeds must stay off the
| request's path.
*/
import { beside } from '../lib/report.js'

export default {
  name: 'post creation',
  requires: ['posts'],

  async run(bench) {
    await bench.compare('api_post', 'POST /api/posts (bearer)', {
      kind: 'post',
      tokens: bench.viewers,
      connections: 64,
    })
  },

  targets(results) {
    const row = results.get('api_post')
    return [
      [
        'POST /api/posts ≥ 0.6× its floor',
        beside(row),
        row.ratioToFloor >= 0.6 && row.errors === 0,
      ],
    ]
  },
}
