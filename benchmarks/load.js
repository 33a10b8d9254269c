/*
| One load run with autocannon, in its own process so the load generator
| never shares an event loop with the bench or the servers. Input: a JSON
| scenario as the first argument. Output: one JSON line on stdout.
*/
import autocannon from 'autocannon'

const spec = JSON.parse(process.argv[2])
const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`
let counter = 0
const created = []

const randomId = () => 1 + Math.floor(Math.random() * spec.users)

/**
 * A client address per request, sent as X-Forwarded-For the way Nginx does
 * (the app trusts loopback proxies): the per-IP sign-in and registration
 * limits guard against one abusive client, not against this crowd.
 */
let clients = 0
const clientAddress = () => {
  const n = ++clients
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** Builds each request of the scenario; every request is different. */
const builders = {
  get: (req) => ({ ...req, method: 'GET', path: spec.path.replace(':id', randomId()) }),

  /** Every id in order, once each when `amount` is the number of users. */
  sweep: (req) => ({ ...req, method: 'GET', path: spec.path.replace(':id', (counter++ % spec.users) + 1) }),

  owner: (req) => {
    const [id, token] = spec.tokens[Math.floor(Math.random() * spec.tokens.length)]
    return {
      ...req,
      method: 'GET',
      path: spec.path.replace(':id', id),
      headers: { authorization: `Bearer ${token}` },
    }
  },

  login: (req) => ({
    ...req,
    method: 'POST',
    path: '/api/auth/login',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress() },
    body: JSON.stringify({ uid: `user${randomId()}`, password: spec.password }),
  }),

  register: (req) => {
    const username = `r${runId}_${++counter}`
    return {
      ...req,
      method: 'POST',
      path: '/api/users',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress() },
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

const request = { setupRequest: builders[spec.kind] }
if (spec.kind === 'register' && spec.recordCreated) {
  request.onResponse = (status, body) => {
    if (status === 201) created.push({ email: JSON.parse(body).email, at: Date.now() })
  }
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
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    duration: result.duration,
    rps: result.requests.average,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
    created,
  }) + '\n'
)
