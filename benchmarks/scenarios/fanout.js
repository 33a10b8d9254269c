/*
| Fan-out: a post by a user with `fanoutFriends` friends (user 1, 1,000 in a
| full run), then the time from its 201 until it is in every friend's
| feed. The fan-out job marks the post (`posts.fanned_out_at`) once it has
| put it in every friend's timeline, all at once; the bench polls that
| mark, then reads a sample of the friends' feeds to see the post on top.
| (Polling 1,000 feeds through the API would measure the feed's read rate
| more than the fan-out.)
*/
import mysql from 'mysql2/promise'
import { round } from '../lib/results.js'
import { sleep } from '../lib/processes.js'

const TIMEOUT_MS = 30_000
const SAMPLE = 50

async function topPostId(url, token) {
  const response = await fetch(`${url}/api/feed?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (response.status !== 200) return { error: response.status }
  return { id: (await response.json()).data?.[0]?.id }
}

export default {
  name: 'fan-out',
  requires: ['posts', 'friendships'],

  async run(bench) {
    const { stack, results, fanout, settings } = bench
    const url = stack.appA.url
    const friends = fanout.friends
    const sample = friends.filter((_, i) => i % Math.ceil(friends.length / SAMPLE) === 0)
    // The sample's timelines exist before: active users, as the timeline cache expects.
    await Promise.all(sample.map(([, token]) => topPostId(url, token)))

    const db = await mysql.createConnection(settings.connection)
    const stop = stack.watch()
    try {
      const posted = performance.now()
      const response = await fetch(`${url}/api/posts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'authorization': `Bearer ${fanout.authorToken}`,
        },
        body: JSON.stringify({ text: 'Fan-out: hello to all my friends' }),
      })
      const answered = performance.now()
      if (response.status !== 201)
        throw new Error(`fan-out post: ${response.status} ${await response.text()}`)
      const postId = (await response.json()).id

      let fannedOut = null
      while (fannedOut === null && performance.now() - answered < TIMEOUT_MS) {
        const [[row]] = await db.query('SELECT fanned_out_at FROM posts WHERE id = ?', [postId])
        if (row?.fanned_out_at) fannedOut = performance.now() - answered
        else await sleep(10)
      }
      const tops = await Promise.all(sample.map(([, token]) => topPostId(url, token)))
      const missing = tops.filter((top) => top.id !== postId).length
      results.push({
        name: 'fanout',
        label: `fan-out to ${friends.length} friends: 201 → in every feed`,
        friends: friends.length,
        reached: fannedOut === null ? 0 : friends.length,
        postMs: round(answered - posted),
        p99: fannedOut === null ? null : round(fannedOut),
        sampled: sample.length,
        missing,
        errors: missing + (fannedOut === null ? 1 : 0),
        rss: stop(),
      })
      bench.log(
        `fan-out: POST answered in ${round(answered - posted)} ms, in all ${friends.length} timelines ${round(fannedOut)} ms after the 201; ${sample.length - missing}/${sample.length} sampled feeds show it`
      )
    } finally {
      await db.end()
    }
  },

  targets(results) {
    const row = results.get('fanout')
    return [
      [
        'Fan-out to 1,000 friends: in every feed ≤ 1 s after the 201',
        `${row.p99} ms; ${row.sampled - row.missing}/${row.sampled} sampled feeds show it`,
        row.p99 !== null && row.p99 <= 1000 && row.errors === 0,
      ],
    ]
  },
}
