/*
| The home feed, the page people load most: GET /api/feed with a bearer
| token beside the floor (token, then the feed query over friendships and
| posts), GET /feed with a session cookie, and a check that the app's first
| page is the plain SQL answer for a sample of users.
*/
import mysql from 'mysql2/promise'
import { percentile, ratio, round } from '../lib/results.js'
import { beside } from '../lib/report.js'

const SQL_FEED = `SELECT id FROM posts
 WHERE user_id IN (SELECT friend_id FROM friendships WHERE user_id = ? UNION ALL SELECT ?)
 ORDER BY id DESC LIMIT 20`

export default {
  name: 'feed',
  requires: ['posts', 'friendships'],

  async run(bench) {
    const { stack, settings, results, viewers, cookies } = bench
    // Active users have timelines: build each reader's once (what a cold one
    // costs is its own row), then measure reads of built timelines.
    const coldStarted = performance.now()
    const coldTimes = []
    await pool(viewers, 16, async ([, token]) => {
      const started = performance.now()
      const response = await fetch(`${stack.appA.url}/api/feed`, {
        headers: { authorization: `Bearer ${token}` },
      })
      await response.arrayBuffer()
      coldTimes.push(performance.now() - started)
    })
    coldTimes.sort((a, b) => a - b)
    results.push({
      name: 'feed_cold',
      label: `GET /api/feed, timeline built on first read (${viewers.length} readers, 16 at once)`,
      rps: round(viewers.length / ((performance.now() - coldStarted) / 1000), 0),
      p50: round(percentile(coldTimes, 50)),
      p99: round(percentile(coldTimes, 99)),
      requests: coldTimes.length,
      errors: 0,
    })

    const api = await bench.compare('api_feed', 'GET /api/feed (bearer)', {
      kind: 'feed',
      path: '/api/feed',
      tokens: viewers,
      connections: 64,
    })
    const page = await bench.measure('html_feed', 'GET /feed (session cookie, HTML)', {
      kind: 'feed',
      path: '/feed',
      cookies,
      connections: 64,
    })
    page.floorRps = results.get('floor_api_feed').rps
    page.ratioToFloor = ratio(page.rps, page.floorRps)

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
      ['Bearer GET /api/feed ≥ 1.3× its floor', beside(api), api.ratioToFloor >= 1.3],
      [
        'Bearer GET /api/feed p99 ≤ the floor p99',
        `${api.p99} ms vs ${api.floorP99} ms`,
        api.p99 <= api.floorP99,
      ],
      ['Session GET /feed (HTML) ≥ 0.5× the feed floor', beside(page), page.ratioToFloor >= 0.5],
      ['The feed is the SQL answer', `${api.stale} mismatches`, api.stale === 0],
    ]
  },
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function pool(items, concurrency, work) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++])
    })
  )
}
