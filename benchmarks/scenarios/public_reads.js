/*
| Anonymous reads: what a cold cache costs, then the public profile read
| (JSON and page) beside the floor's, ids spread like real traffic (Zipf).
*/
import { ratio } from '../lib/results.js'

export default {
  name: 'public reads',

  async run(bench) {
    const { stack, settings, results } = bench

    // Every id once, in order (capped): each read a miss (MySQL, then Redis and the bus).
    const cold = stack.watch()
    results.record(
      'api_get_cold',
      'GET /api/users/:id, cold cache (each id once)',
      await bench.load({
        kind: 'sweep',
        url: stack.appA.url,
        path: '/api/users/:id',
        connections: 64,
        amount: settings.coldReads,
      }),
      cold()
    )

    // Floor and app alternated in rounds, so other load on the machine weighs on both alike.
    const [floor, app] = await bench.versus(
      {
        kind: 'get',
        url: stack.floorUrl,
        path: '/users/:id',
        connections: 64,
        zipf: settings.zipf,
      },
      {
        kind: 'get',
        url: stack.appA.url,
        path: '/api/users/:id',
        connections: 64,
        zipf: settings.zipf,
      }
    )
    const floorRow = results.record('floor_get', 'floor GET /users/:id', floor.result, floor.rss, {
      floor: true,
    })
    const apiRow = results.record(
      'api_get',
      'GET /api/users/:id (anonymous)',
      app.result,
      app.rss,
      { rounds: app.rounds }
    )
    apiRow.ratioToFloor = ratio(apiRow.rps, floorRow.rps)

    const stop = stack.watch()
    const html = results.record(
      'html_get',
      'GET /users/:id (HTML, no cookie)',
      await bench.load(
        {
          kind: 'get',
          url: stack.appA.url,
          path: '/users/:id',
          connections: 64,
          duration: settings.duration,
          zipf: settings.zipf,
        },
        settings.warmup
      ),
      stop()
    )
    html.ratioToFloor = ratio(html.rps, floorRow.rps)
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
        'Anonymous GET /users/:id (HTML) ≥ 0.5× the floor',
        `${html.ratioToFloor}×`,
        html.ratioToFloor >= 0.5,
      ],
    ]
  },
}
