/*
| Profile updates interleaved with reads, across two app replicas: each
| client reads a user on replica B (so B holds it in memory), updates the
| bio through replica A, then reads it on A and on B. A read that does not
| show the new bio is stale: on A it is a bug; on B it means the Redis bus
| message reached B after the read did. Bounded in time.
| Input: a JSON spec as the first argument. Output: one JSON line.
*/
import { performance } from 'node:perf_hooks'

const spec = JSON.parse(process.argv[2])
const deadline = Date.now() + spec.duration * 1000
const updateLatencies = []
const readLatencies = []
let stale = 0
let staleOther = 0
let errors = 0
let leaks = 0

async function timed(list, url, init) {
  const started = performance.now()
  const response = await fetch(url, init)
  const body = await response.json()
  list.push(performance.now() - started)
  return { status: response.status, body }
}

async function client(pair, index) {
  while (Date.now() < deadline) {
    try {
      await cycle(pair, index)
    } catch {
      errors++
    }
  }
}

let rounds = 0
async function cycle([userId, token], index) {
  const round = ++rounds
  const readUrl = `${spec.readUrl}/api/users/${userId}`
  const sameUrl = `${spec.writeUrl}/api/users/${userId}`
  await timed(readLatencies, readUrl)

  const bio = `bio ${index}.${round} ${Date.now()}`
  const form = new FormData()
  form.set('bio', bio)
  const update = await timed(updateLatencies, `${spec.writeUrl}/api/profiles/${userId}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  })
  if (update.status !== 200) {
    errors++
    return
  }

  const same = await timed(readLatencies, sameUrl)
  const other = await timed(readLatencies, readUrl)
  for (const read of [same, other]) {
    if (read.status !== 200) errors++
    if (read.body.email !== undefined) leaks++
  }
  if (same.status === 200 && same.body.profile_data.bio !== bio) stale++
  if (other.status === 200 && other.body.profile_data.bio !== bio) staleOther++
}

function percentile(list, p) {
  const sorted = [...list].sort((a, b) => a - b)
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : 0
}

const started = performance.now()
await Promise.all(spec.tokens.map((pair, index) => client(pair, index)))
const seconds = (performance.now() - started) / 1000
const all = [...updateLatencies, ...readLatencies]

process.stdout.write(
  JSON.stringify({
    requests: all.length,
    duration: seconds,
    rps: all.length / seconds,
    updates: updateLatencies.length,
    updatesPerSecond: updateLatencies.length / seconds,
    p50: percentile(all, 50),
    p97_5: percentile(all, 97.5),
    p99: percentile(all, 99),
    updateP99: percentile(updateLatencies, 99),
    readP99: percentile(readLatencies, 99),
    errors: errors + stale + leaks,
    stale,
    staleOther,
    leaks,
  }) + '\n'
)
