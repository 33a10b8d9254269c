/*
| The home feed, the page people load most: GET /api/feed with a bearer
| token beside the floor (token, then the feed query over friendships and
| posts), GET /feed with a session cookie, and a check that the app's first
| page is the plain SQL answer for a sample of users.
*/
import mysql from 'mysql2/promise'
import { ratio } from '../lib/results.js'

const SQL_FEED = `SELECT id FROM posts
 WHERE user_id IN (SELECT friend_id FROM friendships WHERE user_id = ? UNION ALL SELECT ?)
 ORDER BY id DESC LIMIT 20`

export default {
  name: 'feed',
  requires: ['posts', 'friendships'],

  async run(bench) {
    const { stack, settings, results, viewers, cookies } = bench
    const spec = { kind: 'feed', path: '/api/feed', tokens: viewers, connections: 64 }
    const [floor, app] = await bench.versus(
      { ...spec, url: stack.floorUrl },
      { ...spec, url: stack.appA.url }
    )
    const floorRow = results.record(
      'floor_feed',
      'floor GET /api/feed (bearer)',
      floor.result,
      floor.rss,
      { floor: true }
    )
    const api = results.record('api_feed', 'GET /api/feed (bearer)', app.result, app.rss, {
      rounds: app.rounds,
    })
    api.ratioToFloor = ratio(api.rps, floorRow.rps)
    api.floorP99 = floorRow.p99

    const stop = stack.watch()
    const page = results.record(
      'html_feed',
      'GET /feed (session cookie, HTML)',
      await bench.load(
        {
          kind: 'feed',
          url: stack.appA.url,
          path: '/feed',
          cookies,
          connections: 64,
          duration: settings.duration,
        },
        settings.warmup
      ),
      stop()
    )
    page.ratioToFloor = ratio(page.rps, floorRow.rps)

    // The feed is the SQL answer, for a sample of viewers (stale or foreign posts are wrong).
    const db = await mysql.createConnection(settings.connection)
    let mismatches = 0
    try {
      for (const [id, token] of viewers.slice(0, settings.smoke ? 8 : 64)) {
        const response = await fetch(`${stack.appA.url}/api/feed`, {
          headers: { authorization: `Bearer ${token}` },
        })
        const served = (await response.json()).data?.map((post) => post.id) ?? []
        const [rows] = await db.query(SQL_FEED, [id, id])
        if (JSON.stringify(served) !== JSON.stringify(rows.map((row) => row.id))) mismatches++
      }
    } finally {
      await db.end()
    }
    api.stale = mismatches
    bench.log(`feed equals SQL for ${settings.smoke ? 8 : 64} viewers: ${mismatches} mismatches`)
    await bench.snapshotCaches('feed')
  },

  targets(results) {
    const api = results.get('api_feed')
    const page = results.get('html_feed')
    return [
      ['Bearer GET /api/feed ≥ 1.0× its floor', `${api.ratioToFloor}×`, api.ratioToFloor >= 1],
      [
        'Bearer GET /api/feed p99 ≤ the floor p99',
        `${api.p99} ms vs ${api.floorP99} ms`,
        api.p99 <= api.floorP99,
      ],
      [
        'Session GET /feed (HTML) ≥ 0.5× the feed floor',
        `${page.ratioToFloor}×`,
        page.ratioToFloor >= 0.5,
      ],
      ['The feed is the SQL answer', `${api.stale} mismatches`, api.stale === 0],
    ]
  },
}
