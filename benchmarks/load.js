/*
| One load run with autocannon, in its own process so the load generator
| never shares an event loop with the bench or the servers. Input: a JSON
| scenario as the first argument. Output: one JSON line on stdout.
|
| Signed-in kinds check every answer: a profile read by someone else must
| not carry the owner's email (a leak), the owner's own read must (else it
| is wrong), and any status the request should not get is an error.
*/
import autocannon from 'autocannon'

const spec = JSON.parse(process.argv[2])
const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`
let counter = 0
let leaks = 0
let wrong = 0
const unexpected = {}
const created = []

/**
 * User ids as real traffic spreads them (Zipf, exponent `spec.zipf`): rank 1
 * is read most, then a long tail. Ranks map to ids by a fixed permutation,
 * so the popular users are scattered over the table.
 */
function zipfSampler(n, exponent) {
  const cdf = new Float64Array(n)
  let total = 0
  for (let rank = 1; rank <= n; rank++) cdf[rank - 1] = total += 1 / rank ** exponent
  return () => {
    const target = Math.random() * total
    let low = 0
    let high = n - 1
    while (low < high) {
      const mid = (low + high) >> 1
      if (cdf[mid] < target) low = mid + 1
      else high = mid
    }
    return ((low * 7919) % n) + 1
  }
}
const randomId = spec.zipf
  ? zipfSampler(spec.users, spec.zipf)
  : () => 1 + Math.floor(Math.random() * spec.users)
const pick = (list) => list[Math.floor(Math.random() * list.length)]

/**
 * A client address per request, sent as X-Forwarded-For the way Nginx does
 * (the app trusts loopback proxies): the per-IP limits guard against one
 * abusive client, not against this crowd.
 */
let clients = 0
const clientAddress = () => {
  const n = ++clients
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

const json = { 'content-type': 'application/json' }
const authHeaders = (viewer) =>
  spec.cookies ? { cookie: viewer[1] } : { authorization: `Bearer ${viewer[1]}` }

/** A profile read by a signed-in viewer: someone else's (Zipf) or their own. */
function profileRead(req, context) {
  const viewer = pick(spec.tokens ?? spec.cookies)
  const target = spec.target === 'own' ? viewer[0] : randomId()
  context.check = { viewer: viewer[0], target }
  context.expect = 200
  return {
    ...req,
    method: 'GET',
    path: spec.path.replace(':id', target),
    headers: authHeaders(viewer),
  }
}

function feedRead(req, context, path = spec.path) {
  const viewer = pick(spec.tokens ?? spec.cookies)
  context.check = null
  context.expect = 200
  return { ...req, method: 'GET', path, headers: authHeaders(viewer) }
}

function postCreate(req, context) {
  const viewer = pick(spec.tokens)
  context.check = null
  context.expect = 201
  return {
    ...req,
    method: 'POST',
    path: '/api/posts',
    headers: { ...json, authorization: `Bearer ${viewer[1]}` },
    body: JSON.stringify({ text: `Bench post ${runId}.${++counter}` }),
  }
}

/** A like of a seeded public post (the seed makes one post in five, id % 5 = 0, friends only). */
function like(req, context) {
  const viewer = pick(spec.tokens)
  context.check = null
  context.expect = 204
  let postId = 1 + Math.floor(Math.random() * spec.posts)
  if (postId % 5 === 0) postId = postId === spec.posts ? postId - 1 : postId + 1
  return {
    ...req,
    method: 'PUT',
    path: `/api/posts/${postId}/like`,
    headers: { authorization: `Bearer ${viewer[1]}` },
  }
}

function friendRequest(req, context) {
  const viewer = pick(spec.tokens)
  context.check = null
  // A stranger: new requests are 201, an already pending or accepted pair 422.
  context.expect = [200, 201, 422]
  return {
    ...req,
    method: 'POST',
    path: '/api/friend-requests',
    headers: { ...json, authorization: `Bearer ${viewer[1]}` },
    body: JSON.stringify({ receiver_id: 1 + Math.floor(Math.random() * spec.users) }),
  }
}

/** Builds each request of the scenario; every request is different. */
const builders = {
  get: (req, context) => {
    context.expect = 200
    return { ...req, method: 'GET', path: spec.path.replace(':id', randomId()) }
  },

  /** Every id in order, once each when `amount` is the number of users. */
  sweep: (req, context) => {
    context.expect = 200
    return { ...req, method: 'GET', path: spec.path.replace(':id', (counter++ % spec.users) + 1) }
  },

  profile: profileRead,
  feed: (req, context) => feedRead(req, context),
  post: postCreate,
  like,

  /** The mixed minute: 90% reads (feed and profiles), 8% posts, 2% friend requests. */
  mixed: (req, context) => {
    const roll = Math.random()
    if (roll < 0.45) return feedRead(req, context, spec.feedPath)
    if (roll < 0.9) return profileRead(req, context)
    if (roll < 0.98 && !spec.readOnly) return postCreate(req, context)
    if (!spec.readOnly) return friendRequest(req, context)
    return feedRead(req, context, spec.feedPath)
  },

  login: (req, context) => {
    context.expect = 200
    return {
      ...req,
      method: 'POST',
      path: '/api/auth/login',
      headers: { ...json, 'x-forwarded-for': clientAddress() },
      body: JSON.stringify({ uid: `user${randomId()}`, password: spec.password }),
    }
  },

  register: (req, context) => {
    context.expect = 201
    const username = `r${runId}_${++counter}`
    return {
      ...req,
      method: 'POST',
      path: '/api/users',
      headers: { ...json, 'x-forwarded-for': clientAddress() },
      body: JSON.stringify({
        username,
        email: `${username}@bench.test`,
        first_name: 'Bench',
        last_name: 'Mark',
        password: 'bench-password-1',
      }),
    }
  },
}

/** Who may see an email: the owner only, on the JSON read and the page alike. */
function checkPrivacy(body, { viewer, target }) {
  const email = spec.cookies ? `user${target}@bench.test` : `"email":"user${target}@bench.test"`
  const shown = body.includes(email)
  if (viewer === target ? !shown : shown || (!spec.cookies && body.includes('"email"'))) {
    if (viewer === target) wrong++
    else leaks++
  }
}

const request = {
  setupRequest: builders[spec.kind],
  onResponse(status, body, context) {
    const expected = Array.isArray(context.expect)
      ? context.expect.includes(status)
      : status === context.expect
    if (!expected) unexpected[status] = (unexpected[status] ?? 0) + 1
    else if (context.check) checkPrivacy(body, context.check)
    if (spec.recordCreated && status === 201)
      created.push({ email: JSON.parse(body).email, at: Date.now() })
  },
}

const options = {
  url: spec.url,
  connections: spec.connections,
  pipelining: 1,
  requests: [request],
  timeout: 10,
}
if (spec.amount) options.amount = spec.amount
else options.duration = spec.duration
if (spec.overallRate) options.overallRate = spec.overallRate

const result = await autocannon(options)
const unexpectedCount = Object.values(unexpected).reduce((sum, n) => sum + n, 0)
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    duration: result.duration,
    rps: result.requests.average,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts + unexpectedCount + wrong,
    leaks,
    wrong,
    unexpected,
    statusCodes: result.statusCodeStats,
    created,
  }) + '\n'
)
