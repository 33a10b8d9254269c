/*
|--------------------------------------------------------------------------
| npm run bench
|--------------------------------------------------------------------------
|
| Builds the app, seeds a dedicated database, starts the built server (two
| replicas), the worker, the floor server and an SMTP sink, all on
| 127.0.0.1, runs every scenario for a bounded time with autocannon in its
| own process, then prints a table and writes benchmarks/results/latest.json
| and latest.svg. `--smoke` runs each scenario for about a second against a
| small database and writes smoke.json instead: it checks that the bench
| works, not how fast the app is.
|
| Settings (environment): BENCH_DB (gsocial_bench), BENCH_REDIS_DB (5),
| BENCH_AMQP_URL (the wt_bench vhost), BENCH_DURATION (seconds per scenario),
| BENCH_USERS (10000), DB_HOST/DB_PORT/DB_USER/DB_PASSWORD, REDIS_HOST/PORT.
| BENCH_PROFILE=web,worker runs app A and/or the worker under `node --cpu-prof`;
| the profiles land in benchmarks/results/profiles/<role>/, and
| `node benchmarks/lib/profile.js <file>` summarizes one.
|
*/
import { randomBytes } from 'node:crypto'
import { cpus, loadavg, totalmem } from 'node:os'
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import mysql from 'mysql2/promise'
import { Argon } from '@adonisjs/core/hash/drivers/argon'
import { Child, freePort, rssSampler, run, runJson, sleep } from './lib/processes.js'
import { SEED_PASSWORD, seed } from './lib/seed.js'
import { chart } from './lib/chart.js'
import { markdownTable } from './lib/report.js'

const smoke = process.argv.includes('--smoke')
const skipBuild = process.argv.includes('--skip-build')
const root = fileURLToPath(new URL('../', import.meta.url))
const buildDir = join(root, 'build')
const here = fileURLToPath(new URL('./', import.meta.url))
const resultsDir = join(here, 'results')

const DURATION = Number(process.env.BENCH_DURATION ?? (smoke ? 1 : 10))
const WARMUP = smoke ? 0.5 : 3
const USERS = Number(process.env.BENCH_USERS ?? (smoke ? 500 : 10_000))
const PIPELINE_EMAILS = smoke ? 20 : 1000
const PIPELINE_RATE = 50
const PIPELINE_SECONDS = smoke ? 1 : 10
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/wt_bench'
const PROFILED = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean))
const profilesDir = join(resultsDir, 'profiles')

const connection = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_USER ?? 'root',
  password: process.env.DB_PASSWORD ?? '',
  database: process.env.BENCH_DB ?? 'gsocial_bench',
}
const redis = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  db: Number(process.env.BENCH_REDIS_DB ?? 5),
}

const log = (message) => console.log(`[bench] ${message}`)
const children = []

/** The environment every app process (web, worker, ace) gets: nothing from .env. */
function appEnv(extra) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    NODE_ENV: 'production',
    // As the image sets them (Dockerfile): argon2's buffers go back to the OS.
    UV_THREADPOOL_SIZE: '2',
    GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1',
    HOST: '127.0.0.1',
    PORT: '0',
    APP_URL: 'http://127.0.0.1',
    APP_KEY: appKey,
    LOG_LEVEL: 'warn',
    SESSION_DRIVER: 'cookie',
    DB_HOST: connection.host,
    DB_PORT: String(connection.port),
    DB_USER: connection.user,
    DB_PASSWORD: connection.password,
    DB_DATABASE: connection.database,
    REDIS_HOST: redis.host,
    REDIS_PORT: String(redis.port),
    REDIS_PASSWORD: process.env.REDIS_PASSWORD ?? '',
    REDIS_DB: String(redis.db),
    AMQP_URL,
    MAIL_TRANSPORT: 'smtp',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(ports.smtp),
    MAIL_FROM_ADDRESS: 'hello@bench.test',
    MAIL_FROM_NAME: 'G-Social bench',
    DRIVE_DISK: 'fs',
    LIMITER_STORE: 'redis',
    ...extra,
  }
}

/** Node's own flags for a process of `role`: `--cpu-prof` when BENCH_PROFILE names it. */
function nodeFlags(role) {
  if (!PROFILED.has(role)) return []
  return ['--cpu-prof', `--cpu-prof-dir=${join(profilesDir, role)}`]
}

function spawnChild(name, args, options) {
  const child = new Child(name, process.execPath, args, options)
  children.push(child)
  return child
}

async function startApp(name, port) {
  // BENCH_PROFILE=web profiles app A, the replica every scenario but the update one loads.
  const flags = name === 'app A' ? nodeFlags('web') : []
  const child = spawnChild(name, [...flags, 'bin/server.js'], {
    cwd: buildDir,
    env: appEnv({ PORT: String(port) }),
  })
  const readyMs = await child.waitForHttp(`http://127.0.0.1:${port}/health/live`)
  return { child, port, url: `http://127.0.0.1:${port}`, readyMs }
}

function startWorker() {
  return spawnChild('worker', [...nodeFlags('worker'), 'ace', 'worker'], { cwd: buildDir, env: appEnv() })
}

/** The vhost must exist; a fresh RabbitMQ only has "/". */
async function ensureVhost() {
  try {
    await (await amqp.connect(AMQP_URL)).close()
  } catch (error) {
    const vhost = decodeURIComponent(new URL(AMQP_URL).pathname.slice(1))
    // A missing vhost closes the connection while it opens (530 NOT_ALLOWED).
    if (!vhost || !/vhost|NOT_ALLOWED|530|ConnectionClose/i.test(String(error.message))) throw error
    log(`creating the RabbitMQ vhost "${vhost}"`)
    await run('rabbitmqctl', ['add_vhost', vhost])
    await run('rabbitmqctl', ['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'])
  }
}

async function resetQueues() {
  const client = new Redis({ ...redis, password: process.env.REDIS_PASSWORD || undefined })
  await client.flushdb()
  client.disconnect()
  const amqpConnection = await amqp.connect(AMQP_URL)
  const channel = await amqpConnection.createChannel()
  await channel.deleteQueue('email_sender')
  await amqpConnection.close()
}

async function sinkDeliveries() {
  const response = await fetch(`http://127.0.0.1:${ports.sinkApi}/deliveries`)
  return response.json()
}
async function clearSink() {
  await fetch(`http://127.0.0.1:${ports.sinkApi}/deliveries`, { method: 'DELETE' })
}

/** Waits until the sink holds every one of `emails`; returns their delivery times. */
async function waitForDeliveries(emails, timeoutMs) {
  const wanted = new Set(emails)
  const deadline = Date.now() + timeoutMs
  let found = new Map()
  while (Date.now() < deadline) {
    found = new Map()
    for (const delivery of await sinkDeliveries()) {
      if (wanted.has(delivery.to) && !found.has(delivery.to)) found.set(delivery.to, delivery.at)
    }
    if (found.size === wanted.size) break
    await sleep(50)
  }
  return found
}

/** Bearer tokens for the first `count` seeded users, through the real login. */
async function loginTokens(app, count) {
  const pairs = []
  for (let start = 1; start <= count; start += 8) {
    const batch = Array.from({ length: Math.min(8, count - start + 1) }, (_, i) => start + i)
    const tokens = await Promise.all(
      batch.map(async (id) => {
        const response = await fetch(`${app.url}/api/auth/login`, {
          method: 'POST',
          // One client address per user, as behind Nginx: the per-IP
          // sign-in limit is not what this measures.
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${id >> 8}.${id & 255}` },
          body: JSON.stringify({ uid: `user${id}`, password: SEED_PASSWORD }),
        })
        if (response.status !== 200) throw new Error(`login of user${id}: ${response.status}`)
        return [id, (await response.json()).token]
      })
    )
    pairs.push(...tokens)
  }
  return pairs
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits

/** One autocannon run; warms up first when asked. */
async function load(spec, warmup = 0) {
  // A smoke run's second could end before one hash-bound request answers on
  // a busy machine: there, those scenarios send a fixed number instead.
  if (smoke && ['login', 'register'].includes(spec.kind) && !spec.amount) {
    spec = { ...spec, duration: undefined, amount: 32 }
  }
  spec = { users: USERS, password: SEED_PASSWORD, ...spec }
  if (warmup) await runJson(join(here, 'load.js'), { ...spec, duration: warmup })
  return runJson(join(here, 'load.js'), spec)
}

/** Rounds of one scenario as one: mean rate, worst latencies, all errors. */
function combine(runs) {
  const worst = (key) => Math.max(...runs.map((r) => r[key]))
  return {
    rps: runs.reduce((sum, r) => sum + r.rps, 0) / runs.length,
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    p50: worst('p50'),
    p97_5: worst('p97_5'),
    p99: worst('p99'),
  }
}

const results = []
function record(name, label, result, rss, extra = {}) {
  const row = {
    name,
    label,
    rps: round(result.rps, 0),
    p50: round(result.p50),
    p97_5: round(result.p97_5),
    p99: round(result.p99),
    errors: result.errors,
    requests: result.requests,
    rss,
    ...extra,
  }
  results.push(row)
  log(
    `${label}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, rss ${JSON.stringify(rss)}`
  )
  return row
}

let appKey
const ports = {}

async function main() {
  const startedAt = new Date()
  appKey = randomBytes(24).toString('base64url')
  for (const name of ['floor', 'appA', 'appB', 'smtp', 'sinkApi']) ports[name] = await freePort()

  if (!skipBuild) {
    log('building the app (node ace build)')
    await run(process.execPath, ['ace', 'build'], { cwd: root, env: { ...process.env } })
  }

  log(`database ${connection.database}: db:create, migration:run --force (production build)`)
  await run(process.execPath, ['ace', 'db:create'], { cwd: buildDir, env: appEnv() })
  // The bench database has one migrator; MariaDB's lock name is server-wide.
  await run(process.execPath, ['ace', 'migration:run', '--force', '--disable-locks'], {
    cwd: buildDir,
    env: appEnv(),
  })

  log(`seeding ${USERS} users`)
  const hasher = new Argon({ variant: 'id', iterations: 2, memory: 19456, parallelism: 1, saltSize: 16, hashLength: 32, version: 0x13 })
  const seedStarted = performance.now()
  await seed(connection, USERS, await hasher.make(SEED_PASSWORD))
  log(`seeded in ${Math.round(performance.now() - seedStarted)} ms`)

  await ensureVhost()
  await resetQueues()

  spawnChild('smtp sink', [join(here, 'smtp_sink.js')], {
    env: { ...process.env, SMTP_PORT: String(ports.smtp), SINK_API_PORT: String(ports.sinkApi) },
  })
  const floor = spawnChild('floor', [join(here, 'floor.js')], {
    env: { ...process.env, PORT: String(ports.floor), DB_DATABASE: connection.database, DB_HOST: connection.host, DB_PORT: String(connection.port), DB_USER: connection.user, DB_PASSWORD: connection.password },
  })
  await floor.waitForHttp(`http://127.0.0.1:${ports.floor}/users/1`)

  const appA = await startApp('app A', ports.appA)
  log(`built server ready in ${Math.round(appA.readyMs)} ms`)
  // One start at a time, so each ready time is a server's own cold start.
  const appB = await startApp('app B', ports.appB)
  let worker = startWorker()

  const tokens = await loginTokens(appA, smoke ? 16 : 64)
  const watch = () => rssSampler({ web: appA.child, worker })

  // 1. The hot read. First every id once, in order: what a cold cache costs
  // (each read a miss: MySQL, then Redis and the bus). Then the floor and the
  // app in the same run, alternated in rounds so that other load on the
  // machine weighs on both alike.
  const coldRss = watch()
  record(
    'api_get_cold',
    'GET /api/users/:id, cold cache (each id once)',
    await load({ kind: 'sweep', url: appA.url, path: '/api/users/:id', connections: 64, amount: USERS }),
    coldRss()
  )
  const rounds = smoke ? 1 : 2
  const floorRuns = []
  const appRuns = []
  const floorRss = rssSampler({ floor })
  const appRss = watch()
  for (let i = 0; i < rounds; i++) {
    const seconds = DURATION / rounds
    floorRuns.push(await load({ kind: 'get', url: `http://127.0.0.1:${ports.floor}`, path: '/users/:id', connections: 64, duration: seconds }, i ? 0 : WARMUP))
    appRuns.push(await load({ kind: 'get', url: appA.url, path: '/api/users/:id', connections: 64, duration: seconds }, i ? 0 : WARMUP))
  }
  const floorGet = record('floor_get', 'floor GET /users/:id', combine(floorRuns), floorRss(), { floor: true })
  const apiGet = record('api_get', 'GET /api/users/:id', combine(appRuns), appRss(), {
    rounds: appRuns.map((r, i) => ({ app: round(r.rps, 0), floor: round(floorRuns[i].rps, 0) })),
  })
  apiGet.ratioToFloor = round(apiGet.rps / floorGet.rps, 2)

  let stop = watch()
  record(
    'api_get_owner',
    'GET /api/users/:id (owner token)',
    await load({ kind: 'owner', url: appA.url, path: '/api/users/:id', tokens, connections: 64, duration: DURATION }, WARMUP),
    stop()
  )

  stop = watch()
  const html = record(
    'html_get',
    'GET /users/:id (HTML)',
    await load({ kind: 'get', url: appA.url, path: '/users/:id', connections: 64, duration: DURATION }, WARMUP),
    stop()
  )
  html.ratioToMin = round(html.rps / Math.min(apiGet.rps, floorGet.rps), 2)

  stop = watch()
  record(
    'login',
    'POST /api/auth/login',
    await load({ kind: 'login', url: appA.url, connections: 16, duration: DURATION }),
    stop()
  )

  stop = watch()
  record(
    'register',
    'POST /api/users',
    await load({ kind: 'register', url: appA.url, connections: 16, duration: DURATION }),
    stop()
  )

  // 2. Reads while registrations run flat out: does hashing block the loop?
  stop = watch()
  const [, readsDuring] = await Promise.all([
    load({ kind: 'register', url: appA.url, connections: 16, duration: DURATION }),
    load({ kind: 'get', url: appA.url, path: '/api/users/:id', connections: 16, duration: DURATION }),
  ])
  record('get_during_register', 'GET /api/users/:id during registrations', readsDuring, stop())

  // 3. Updates and reads across two replicas: each read shows the update.
  stop = watch()
  const updates = await runJson(join(here, 'update_read.js'), {
    writeUrl: appA.url,
    readUrl: appB.url,
    tokens: tokens.slice(0, 8),
    duration: DURATION,
  })
  record('update_read', 'PATCH on A + GET on A and B', updates, stop(), {
    updates: updates.updates,
    updatesPerSecond: round(updates.updatesPerSecond, 0),
    stale: updates.stale,
    staleOther: updates.staleOther,
    leaks: updates.leaks,
  })

  // 4. The welcome pipeline. a) Throughput: N queued with the worker stopped,
  // then the time until the sink has them all.
  await worker.stop()
  await sleep(200)
  await clearSink()
  const queued = await load({ kind: 'register', url: appA.url, connections: 16, amount: PIPELINE_EMAILS, recordCreated: true })
  worker = startWorker()
  stop = watch()
  const delivered = await waitForDeliveries(queued.created.map((c) => c.email), 120_000)
  const times = [...delivered.values()].sort((a, b) => a - b)
  const drainSeconds = (times.at(-1) - times[0]) / 1000
  const pipelineRss = stop()
  const throughput = {
    name: 'pipeline_throughput',
    label: `welcome emails, ${queued.created.length} queued`,
    queued: queued.created.length,
    delivered: delivered.size,
    emailsPerSecond: round((delivered.size - 1) / Math.max(drainSeconds, 0.001), 0),
    errors: queued.errors + (queued.created.length - delivered.size),
    rss: pipelineRss,
  }
  results.push(throughput)
  log(`pipeline: ${throughput.delivered}/${throughput.queued} delivered, ${throughput.emailsPerSecond} emails/s`)

  // b) Latency: registrations at 50/s with the worker running.
  await sleep(500)
  stop = watch()
  const paced = await load({
    kind: 'register',
    url: appA.url,
    connections: 16,
    overallRate: PIPELINE_RATE,
    amount: PIPELINE_RATE * PIPELINE_SECONDS,
    recordCreated: true,
  })
  const pacedDelivered = await waitForDeliveries(paced.created.map((c) => c.email), 60_000)
  const latencies = paced.created
    .filter((c) => pacedDelivered.has(c.email))
    .map((c) => pacedDelivered.get(c.email) - c.at)
    .sort((a, b) => a - b)
  const latency = {
    name: 'pipeline_latency',
    label: `201 → SMTP at ${PIPELINE_RATE} registrations/s`,
    registered: paced.created.length,
    delivered: pacedDelivered.size,
    p50: latencies.length ? percentile(latencies, 50) : null,
    p99: latencies.length ? percentile(latencies, 99) : null,
    errors: paced.errors + (paced.created.length - pacedDelivered.size),
    rss: stop(),
  }
  results.push(latency)
  log(`pipeline latency: p50 ${latency.p50} ms, p99 ${latency.p99} ms, ${latency.delivered}/${latency.registered} delivered`)

  // Cold start of a second built server, measured again now that the disk cache is warm.
  const readyMs = [appA.readyMs, appB.readyMs]

  return { startedAt, readyMs, floorGet, apiGet, html }
}

function targets({ readyMs, apiGet, html }) {
  const by = (name) => results.find((r) => r.name === name)
  const register = by('register')
  const during = by('get_during_register')
  const update = by('update_read')
  const pipe = by('pipeline_throughput')
  const lat = by('pipeline_latency')
  const peak = (key) => Math.max(...results.map((r) => r.rss?.[key] ?? 0))
  return [
    ['GET /api/users/:id ≥ 1.0× the floor', `${apiGet.ratioToFloor}×`, apiGet.ratioToFloor >= 1],
    ['GET /api/users/:id p99 < 15 ms at 64 connections', `${apiGet.p99} ms`, apiGet.p99 < 15],
    ['GET /api/users/:id zero errors', String(apiGet.errors), apiGet.errors === 0],
    ['GET /users/:id (HTML) ≥ 0.5× min(JSON, floor)', `${html.ratioToMin}×`, html.ratioToMin >= 0.5],
    ['Registration ≥ 50 req/s at 16 connections', `${register.rps} req/s`, register.rps >= 50],
    ['GETs during registrations p99 < 50 ms', `${during.p99} ms`, during.p99 < 50],
    ['Read after update shows it on the same replica; no email leaks', `${update.stale} stale, ${update.leaks} leaks`, update.stale === 0 && update.leaks === 0],
    ['Read after update shows it on the other replica (Redis bus)', `${update.staleOther} stale of ${update.updates}`, update.staleOther === 0],
    ['Welcome emails ≥ 300/s to the sink', `${pipe.emailsPerSecond}/s`, pipe.emailsPerSecond >= 300 && pipe.errors === 0],
    ['Welcome email p50 201 → delivery < 100 ms at 50/s', `${lat.p50} ms`, lat.p50 !== null && lat.p50 < 100 && lat.errors === 0],
    ['Web RSS < 200 MB under load', `${peak('web')} MB`, peak('web') < 200],
    ['Worker RSS < 200 MB under load', `${peak('worker')} MB`, peak('worker') < 200],
    ['Built server ready < 1 s', `${Math.round(Math.max(...readyMs))} ms`, Math.max(...readyMs) < 1000],
  ].map(([target, measured, met]) => ({ target, measured, met }))
}

let summary
let exitCode = 0
try {
  summary = await main()
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await Promise.all(children.map((child) => child.stop()))
}

if (summary) {
  const checks = targets(summary)
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    // Other work on the machine shows here: the floor's rate moves with it.
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  }
  const output = {
    mode: smoke ? 'smoke' : 'full',
    date: summary.startedAt.toISOString(),
    machine,
    settings: { durationSeconds: DURATION, users: USERS, pipelineEmails: PIPELINE_EMAILS, pipelineRate: PIPELINE_RATE },
    readyMs: summary.readyMs.map((ms) => Math.round(ms)),
    ratioToFloor: summary.apiGet.ratioToFloor,
    scenarios: results,
    targets: checks,
  }
  console.log(`\n${markdownTable(results)}\n`)
  for (const check of checks) console.log(`${check.met ? 'met ' : 'MISS'}  ${check.target}: ${check.measured}`)

  await mkdir(resultsDir, { recursive: true })
  const base = smoke ? 'smoke' : 'latest'
  await writeFile(join(resultsDir, `${base}.json`), JSON.stringify(output, null, 2) + '\n')
  const chartRows = results.filter((r) => r.rps !== undefined && r.p99 !== undefined)
  await writeFile(
    join(resultsDir, `${base}.svg`),
    chart(chartRows, {
      title: `G-Social: ${summary.apiGet.ratioToFloor}× the floor on GET /api/users/:id`,
      subtitle: `${machine.cpus} cores, ${machine.node}, ${DURATION} s per scenario, ${USERS.toLocaleString('en')} users, ${output.date.slice(0, 10)}`,
    })
  )
  log(`wrote benchmarks/results/${base}.json and ${base}.svg`)

  // Smoke runs fail only when the bench is broken or the app is wrong,
  // never on slow numbers.
  const broken = results.filter((r) => (r.requests ?? r.delivered ?? r.registered) === 0)
  const wrong = results.filter((r) => r.stale || r.leaks)
  if (broken.length || wrong.length) {
    console.error(`[bench] broken: ${[...broken, ...wrong].map((r) => r.name).join(', ')}`)
    exitCode = 1
  }
}
process.exit(exitCode)
