/*
| Likes: PUT /api/posts/:id/like with a bearer token on public posts of the
| seed, beside a floor that checks the token and that the viewer sees the
| post, then INSERTs the like and adds it to the post's count. Then a burst:
| the fan-out author's 1,000 friends (50 in a smoke run) like one new post
| of theirs at once, 100 at a time, while a load reads feeds; the count must
| be exact afterwards, in MySQL and in the API.
*/
import mysql from 'mysql2/promise'
import { round } from '../lib/results.js'
import { beside } from '../lib/report.js'

async function pool(items, size, work) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (queue.length) await work(queue.shift())
    })
  )
}

export default {
  name: 'likes',
  requires: ['posts', 'friendships'],

  async run(bench) {
    const { stack, settings, results, viewers, fanout, seedStats } = bench
    await bench.compare('api_like', 'PUT /api/posts/:id/like (bearer)', {
      kind: 'like',
      tokens: viewers,
      posts: seedStats.posts,
      connections: 64,
    })

    const url = stack.appA.url
    const author = { authorization: `Bearer ${fanout.authorToken}` }
    const created = await fetch(`${url}/api/posts`, {
      method: 'POST',
      headers: { ...author, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'A post everyone likes' }),
    })
    if (created.status !== 201) throw new Error(`burst post: ${created.status}`)
    const postId = (await created.json()).id

    // Feeds are read meanwhile; their row says what the burst cost them.
    const reading = bench.measure('api_feed_during_burst', 'GET /api/feed during the burst', {
      kind: 'feed',
      path: '/api/feed',
      tokens: viewers,
      connections: 32,
    })
    const started = performance.now()
    const statuses = new Map()
    await pool(fanout.friends, 100, async ([, token]) => {
      const response = await fetch(`${url}/api/posts/${postId}/like`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
      })
      await response.arrayBuffer()
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
    })
    const seconds = (performance.now() - started) / 1000
    await reading

    const db = await mysql.createConnection(settings.connection)
    let counts
    try {
      const [[row]] = await db.query(
        'SELECT likes_count, (SELECT COUNT(*) FROM likes WHERE post_id = ?) AS rows_ FROM posts WHERE id = ?',
        [postId, postId]
      )
      const shown = await (await fetch(`${url}/api/posts/${postId}`)).json()
      counts = { column: row.likes_count, rows: Number(row.rows_), api: shown.likes_count }
    } finally {
      await db.end()
    }
    const liked = statuses.get(204) ?? 0
    results.push({
      name: 'like_burst',
      label: `${fanout.friends.length} likes of one post, 100 at a time`,
      rps: round(fanout.friends.length / seconds, 0),
      requests: fanout.friends.length,
      errors: fanout.friends.length - liked,
      counts,
      exact: counts.rows === liked && counts.column === counts.rows && counts.api === counts.rows,
    })
    bench.log(`like burst: ${liked} likes in ${round(seconds)} s; count ${JSON.stringify(counts)}`)
  },

  targets(results) {
    const like = results.get('api_like')
    const burst = results.get('like_burst')
    const feed = results.get('api_feed')
    const during = results.get('api_feed_during_burst')
    return [
      ['PUT like ≥ 0.5× its floor', beside(like), like.ratioToFloor >= 0.5 && like.errors === 0],
      [
        `${burst.requests} likes of one post: the count exact afterwards`,
        `${JSON.stringify(burst.counts)}, ${burst.errors} errors`,
        burst.exact && burst.errors === 0,
      ],
      ...(feed
        ? [
            [
              'GET /api/feed during the burst ≥ 1.0× the feed floor',
              `${during.rps} req/s against ${feed.floorRps}`,
              during.rps >= feed.floorRps && during.errors === 0,
            ],
          ]
        : []),
    ]
  },
}
