/*
| Anonymous reads: what a cold cache costs, then the public profile read
| (JSON and page) beside the floor's, ids spread like real traffic (Zipf).
| The page's floor answers what the page shows: the profile and the user's
| newest public posts.
*/
import { ratio } from '../lib/results.js'

export default {
  name: 'public reads',

  async run(bench) {
    const { settings } = bench
    const read = { kind: 'get', connections: 64, zipf: settings.zipf }

    // Every id once, in order (capped): each read a miss (MySQL, then Redis and the bus).
    await bench.measure(
      'api_get_cold',
      'GET /api/users/:id, cold cache (each id once)',
      { kind: 'sweep', path: '/api/users/:id', connections: 64, amount: settings.coldReads },
      0
    )
    await bench.snapshotCaches('cold pass')
    await bench.compare('api_get', 'GET /api/users/:id (anonymous)', {
      ...read,
      path: '/api/users/:id',
    })
    const html = await bench.compare('html_get', 'GET /users/:id (HTML, no cookie)', {
      ...read,
      path: '/users/:id',
      floor: { path: '/pages/users/:id' },
    })
    // Beside the profile-only floor the earlier runs compared the page with.
    html.ratioToProfileFloor = ratio(html.rps, bench.results.get('floor_api_get').rps)
    await bench.snapshotCaches('public reads')
  },

  targets(results) {
    const api = results.get('api_get')
    const html = results.get('html_get')
    return [
      [
        'Anonymous GET /api/users/:id ≥ 1.0× the floor',
        `${api.ratioToFloor}×`,
        api.ratioToFloor >= 1,
      ],
      ['Anonymous GET /api/users/:id zero errors', String(api.errors), api.errors === 0],
      [
        'Anonymous GET /users/:id (HTML) ≥ 0.7× its page floor',
        `${html.ratioToFloor}× (${html.ratioToProfileFloor}× the profile-only floor)`,
        html.ratioToFloor >= 0.7,
      ],
    ]
  },
}
