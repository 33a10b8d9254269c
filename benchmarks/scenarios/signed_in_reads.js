/*
| Signed-in profile reads, each beside the floor that checks the bearer
| token (one SELECT by its id, the hash compared) and then runs the JOIN
| and the friendship lookups: someone else's profile with a bearer token,
| one's own, and the HTML page with a session cookie beside the page's
| floor (the same credential check and lookups, and the user's newest posts
| the viewer may see with the viewer's likes). Every answer is checked for
| the owner's email.
*/
import { ratio } from '../lib/results.js'

export default {
  name: 'signed-in reads',

  async run(bench) {
    const { settings, viewers, cookies } = bench
    const read = { kind: 'profile', path: '/api/users/:id', tokens: viewers, connections: 64 }

    await bench.compare('bearer_get', 'GET /api/users/:id (bearer, others)', {
      ...read,
      target: 'other',
      zipf: settings.zipf,
    })
    // Its p99 has a target of its own: what the loop stood still for, alone.
    await bench.snapshotCaches('bearer reads of others')
    await bench.compare('bearer_own', 'GET /api/users/:id (bearer, own)', {
      ...read,
      target: 'own',
    })
    const page = await bench.compare('session_page', 'GET /users/:id (session cookie, HTML)', {
      kind: 'profile',
      path: '/users/:id',
      cookies,
      target: 'other',
      connections: 64,
      zipf: settings.zipf,
      floor: { path: '/pages/users/:id', cookies: undefined, tokens: viewers },
    })
    // Beside the profile-only floor the earlier runs compared the page with.
    page.ratioToProfileFloor = ratio(page.rps, bench.results.get('floor_bearer_get').rps)
    // The lightest signed-in page (the layout around static text, through the same
    // middleware): how near the page floor any page on this stack comes.
    const lightest = await bench.measure(
      'session_lightest',
      'GET /privacy (session cookie, HTML): the stack and layout alone',
      { kind: 'feed', path: '/privacy', cookies, connections: 64 }
    )
    lightest.ratioToPageFloor = ratio(lightest.rps, page.floorRps)
    await bench.snapshotCaches('signed-in reads')
  },

  targets(results) {
    const other = results.get('bearer_get')
    const own = results.get('bearer_own')
    const page = results.get('session_page')
    const lightest = results.get('session_lightest')
    const rows = [other, own, page]
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
        'Session GET /users/:id (HTML) ≥ 0.7× its page floor',
        `${page.ratioToFloor}× (${page.ratioToProfileFloor}× the profile-only floor; ` +
          `the lightest signed-in page ${lightest.ratioToPageFloor}×)`,
        page.ratioToFloor >= 0.7,
      ],
      [
        'Signed-in reads: no email to another viewer, the owner sees theirs',
        `${rows.reduce((n, r) => n + (r.leaks ?? 0), 0)} leaks`,
        rows.every((r) => !r.leaks && r.errors === 0),
      ],
    ]
  },
}
