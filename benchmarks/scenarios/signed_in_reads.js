/*
| Signed-in profile reads, each beside the floor that checks the bearer
| token (one SELECT by its id, the hash compared) and then runs the JOIN:
| someone else's profile with a bearer token, one's own, and the HTML page
| with a session cookie. Every answer is checked for the owner's email.
*/
import { ratio } from '../lib/results.js'

export default {
  name: 'signed-in reads',

  async run(bench) {
    const { stack, settings, results, viewers, cookies } = bench
    const tokens = viewers
    const others = {
      kind: 'profile',
      path: '/api/users/:id',
      tokens,
      target: 'other',
      connections: 64,
      zipf: settings.zipf,
    }

    const [floor, app] = await bench.versus(
      { ...others, url: stack.floorUrl },
      { ...others, url: stack.appA.url }
    )
    const floorRow = results.record(
      'floor_bearer_get',
      'floor GET /api/users/:id (bearer)',
      floor.result,
      floor.rss,
      { floor: true }
    )
    const other = results.record(
      'bearer_get',
      'GET /api/users/:id (bearer, others)',
      app.result,
      app.rss,
      { rounds: app.rounds }
    )
    other.ratioToFloor = ratio(other.rps, floorRow.rps)
    other.floorP99 = floorRow.p99

    const own = { kind: 'profile', path: '/api/users/:id', tokens, target: 'own', connections: 64 }
    const [floorOwn, appOwn] = await bench.versus(
      { ...own, url: stack.floorUrl },
      { ...own, url: stack.appA.url }
    )
    const floorOwnRow = results.record(
      'floor_bearer_own',
      'floor GET /api/users/:id (bearer, own)',
      floorOwn.result,
      floorOwn.rss,
      { floor: true }
    )
    const ownRow = results.record(
      'bearer_own',
      'GET /api/users/:id (bearer, own)',
      appOwn.result,
      appOwn.rss,
      { rounds: appOwn.rounds }
    )
    ownRow.ratioToFloor = ratio(ownRow.rps, floorOwnRow.rps)
    ownRow.floorP99 = floorOwnRow.p99

    const stop = stack.watch()
    const page = results.record(
      'session_page',
      'GET /users/:id (session cookie, HTML)',
      await bench.load(
        {
          kind: 'profile',
          url: stack.appA.url,
          path: '/users/:id',
          cookies,
          target: 'other',
          connections: 64,
          duration: settings.duration,
          zipf: settings.zipf,
        },
        settings.warmup
      ),
      stop()
    )
    page.ratioToFloor = ratio(page.rps, floorRow.rps)
    await bench.snapshotCaches('signed-in reads')
  },

  targets(results) {
    const other = results.get('bearer_get')
    const own = results.get('bearer_own')
    const page = results.get('session_page')
    return [
      [
        'Bearer GET /api/users/:id (others) ≥ 1.0× its floor',
        `${other.ratioToFloor}×`,
        other.ratioToFloor >= 1,
      ],
      [
        'Bearer GET /api/users/:id (others) p99 ≤ the floor p99',
        `${other.p99} ms vs ${other.floorP99} ms`,
        other.p99 <= other.floorP99,
      ],
      [
        'Bearer GET /api/users/:id (own) ≥ 1.0× its floor',
        `${own.ratioToFloor}×`,
        own.ratioToFloor >= 1,
      ],
      [
        'Bearer GET /api/users/:id (own) p99 ≤ the floor p99',
        `${own.p99} ms vs ${own.floorP99} ms`,
        own.p99 <= own.floorP99,
      ],
      [
        'Session GET /users/:id (HTML) ≥ 0.5× the bearer floor',
        `${page.ratioToFloor}×`,
        page.ratioToFloor >= 0.5,
      ],
      [
        'Signed-in reads: no email to another viewer, the owner sees theirs',
        `${[other, own, page].reduce((n, r) => n + (r.leaks ?? 0), 0)} leaks`,
        [other, own, page].every((r) => !r.leaks && r.errors === 0),
      ],
    ]
  },
}
