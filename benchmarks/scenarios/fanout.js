/*
| Fan-out: a post by a user with `fanoutFriends` friends (user 1, 1,000 in a
| full run), then the time from its 201 until it tops each friend's feed,
| polled through GET /api/feed?limit=1 on app A.
*/
import { percentile, round } from '../lib/results.js'

const TIMEOUT_MS = 10_000
const CONCURRENCY = 32

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
    const { stack, results, fanout } = bench
    const url = stack.appA.url
    const friends = fanout.friends
    // Their feeds are read before: active users, as a timeline cache would expect.
    await pool(friends, ([, token]) => topPostId(url, token))

    const stop = stack.watch()
    const response = await fetch(`${url}/api/posts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'authorization': `Bearer ${fanout.authorToken}`,
      },
      body: JSON.stringify({ text: 'Fan-out: hello to all my friends' }),
    })
    const createdAt = performance.now()
    if (response.status !== 201)
      throw new Error(`fan-out post: ${response.status} ${await response.text()}`)
    const postId = (await response.json()).id

    const seenAfter = new Map()
    let errors = 0
    while (seenAfter.size < friends.length && performance.now() - createdAt < TIMEOUT_MS) {
      const waiting = friends.filter(([id]) => !seenAfter.has(id))
      await pool(waiting, async ([id, token]) => {
        const top = await topPostId(url, token)
        if (top.error) errors++
        else if (top.id === postId) seenAfter.set(id, performance.now() - createdAt)
      })
    }
    const latencies = [...seenAfter.values()].sort((a, b) => a - b)
    results.push({
      name: 'fanout',
      label: `fan-out to ${friends.length} friends: 201 → in every feed`,
      friends: friends.length,
      reached: seenAfter.size,
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
      errors: errors + (friends.length - seenAfter.size),
      rss: stop(),
    })
    bench.log(
      `fan-out: ${seenAfter.size}/${friends.length} feeds, p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms`
    )
  },

  targets(results) {
    const row = results.get('fanout')
    return [
      [
        'Fan-out to 1,000 friends: p99 ≤ 1 s from the 201',
        `${row.p99} ms, ${row.reached}/${row.friends} reached`,
        row.p99 <= 1000 && row.errors === 0,
      ],
    ]
  },
}

/** Runs `work` over `items`, CONCURRENCY at a time. */
async function pool(items, work) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await work(items[next++])
    })
  )
}
