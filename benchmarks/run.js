/*
|--------------------------------------------------------------------------
| npm run bench
|--------------------------------------------------------------------------
|
| Builds the app, seeds a dedicated database like a real site (lib/seed.js),
| starts the built server (two replicas), the worker, the floor and an SMTP
| sink (lib/stack.js), runs each scenario of scenarios/ in turn, then prints
| the table and a met/missed line per target, and writes
| benchmarks/results/latest.json and latest.svg. `--smoke` runs every
| scenario for about a second on a small database and writes smoke.*: it
| fails when a scenario breaks or serves a stale or private answer, never
| on a slow number. `--replica` runs the app on a MariaDB primary and
| read-only replica (DB_READ_HOSTS) and writes *.replica.*. Settings:
| lib/settings.js.
|
*/
import { cpus, loadavg, totalmem } from 'node:os'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { cpuMs, run, runJson, rssSampler } from './lib/processes.js'
import { settingsFrom } from './lib/settings.js'
import { SEED_PASSWORD, Seeder, seedPassword } from './lib/seed.js'
import { Stack } from './lib/stack.js'
import { Sink } from './lib/sink.js'
import { Results, combine, ratio, round } from './lib/results.js'
import { chart } from './lib/chart.js'
import { markdownTable } from './lib/report.js'
import publicReads from './scenarios/public_reads.js'
import signedInReads from './scenarios/signed_in_reads.js'
import feed from './scenarios/feed.js'
import postCreate from './scenarios/post_create.js'
import mixedMinute from './scenarios/mixed_minute.js'
import fanout from './scenarios/fanout.js'
import likes from './scenarios/likes.js'
import revocation from './scenarios/revocation.js'
import updateRead from './scenarios/update_read.js'
import registration from './scenarios/registration.js'

/** In this order: the cold cache first, the worker-stopping pipeline last. */
const SCENARIOS = [
  publicReads,
  signedInReads,
  feed,
  postCreate,
  likes,
  mixedMinute,
  fanout,
  revocation,
  updateRead,
  registration,
]

const settings = settingsFrom(process.argv, process.env)
const log = (message) => console.log(`[bench] ${message}`)
const results = new Results(log)
const stack = new Stack(settings, log)

/** What every scenario gets: the stack, the clients, and the ways to load. */
class Bench {
  #lastStats = null
  #lastGc = { ms: {}, at: performance.now() }

  constructor(clients) {
    Object.assign(this, clients)
    this.settings = settings
    this.stack = stack
    this.results = results
    this.log = log
    this.sink = new Sink(stack.ports.sinkApi)
  }

  /**
   * One autocannon run in its own process (load.js); warms up first when
   * asked. With `cpuOf` (a pid), the result has the CPU time that process
   * spent in the run (`cpuMs`, the warm-up left out).
   */
  async load(spec, warmup = 0, cpuOf = null) {
    // A smoke run's second could end before one hash-bound request answers
    // on a busy machine: there, those kinds send a fixed number instead.
    if (settings.smoke && ['login', 'register'].includes(spec.kind) && !spec.amount) {
      spec = { ...spec, duration: undefined, amount: 32 }
    }
    spec = { users: settings.shape.users, password: SEED_PASSWORD, ...spec }
    if (warmup) await runJson(join(settings.here, 'load.js'), { ...spec, duration: warmup })
    const cpuBefore = cpuOf && cpuMs(cpuOf)
    const result = await runJson(join(settings.here, 'load.js'), spec)
    return cpuOf ? { ...result, cpuMs: cpuMs(cpuOf) - cpuBefore } : result
  }

  /**
   * The floor and the app on the same load (`spec`, without its url),
   * alternated in rounds so that other work on the machine weighs on both
   * alike; records both rows and returns the app's, with its ratio to the
   * floor and the floor's p99. `floor`: what the floor's load differs in (a
   * page's floor answers the page's data at its own path, signed in with a
   * bearer token where the browser sends its cookie).
   */
  async compare(name, label, { floor: floorSpec, ...spec }) {
    const floorRuns = []
    const appRuns = []
    const floorRss = rssSampler({ floor: stack.floor })
    const appRss = stack.watch()
    const seconds = settings.duration / settings.rounds
    for (let i = 0; i < settings.rounds; i++) {
      const warmup = i ? 0 : settings.warmup
      floorRuns.push(
        await this.load(
          { ...spec, ...floorSpec, url: stack.floorUrl, duration: seconds },
          warmup,
          stack.floor.pid
        )
      )
      appRuns.push(
        await this.load(
          { ...spec, url: stack.appA.url, duration: seconds },
          warmup,
          stack.appA.child.pid
        )
      )
    }
    const floor = results.record(
      `floor_${name}`,
      `floor ${label}`,
      combine(floorRuns),
      floorRss(),
      {
        floor: true,
      }
    )
    const app = combine(appRuns)
    return results.record(name, label, app, appRss(), {
      rounds: appRuns.map((r, i) => ({
        app: round(r.rps, 0),
        floor: round(floorRuns[i].rps, 0),
        appP99: r.p99,
        floorP99: floorRuns[i].p99,
        appP50: r.p50,
      })),
      ratioToFloor: ratio(app.rps, floor.rps),
      // What each process spent per answer, beside its rate: the floor waits on MySQL more than it
      // computes. cpuRatioToFloor reads as ratioToFloor does: above 1, the app spends less.
      floorCpuUs: floor.cpuUs,
      cpuRatioToFloor: ratio(floor.cpuUs, app.cpuUs),
      floorRps: floor.rps,
      floorP99: floor.p99,
    })
  }

  /** One load on app A after a warm-up, recorded with the peak RSS during it. */
  async measure(name, label, spec, warmup = settings.warmup) {
    const stop = stack.watch()
    const result = await this.load(
      { url: stack.appA.url, duration: settings.duration, ...spec },
      warmup
    )
    return results.record(name, label, result, stop())
  }

  /** App A's in-process cache hit rates during the scenarios since the last snapshot. */
  async snapshotCaches(label) {
    const stats = await stack.cacheStats()
    if (!stats) return
    const rates = {}
    for (const [name, now] of Object.entries(stats)) {
      const before = this.#lastStats?.[name] ?? { hits: 0, misses: 0 }
      const hits = now.hits - before.hits
      const misses = now.misses - before.misses
      if (hits + misses)
        rates[name] = {
          hits,
          misses,
          hitRate: round((100 * hits) / (hits + misses), 1),
          size: now.size,
        }
    }
    this.#lastStats = stats
    results.cacheStats[label] = rates
    log(
      `cache hit rates (${label}): ${Object.entries(rates)
        .map(([n, r]) => `${n} ${r.hitRate}%`)
        .join(', ')}`
    )
    this.#snapshotGc(label)
  }

  /** App A's garbage collection pauses since the last snapshot, by kind. */
  #snapshotGc(label) {
    const at = performance.now()
    const ms = Object.fromEntries(
      Object.entries(stack.gcMs ?? {}).map(([kind, total]) => [
        kind,
        round(total - (this.#lastGc.ms[kind] ?? 0), 0),
      ])
    )
    const seconds = round((at - this.#lastGc.at) / 1000, 1)
    this.#lastGc = { ms: stack.gcMs ?? {}, at }
    const { gcLongest = {}, loopDelay } = stack.stalls ?? {}
    results.gcPauses[label] = { seconds, ms, longest: gcLongest, loopDelay }
    log(
      `garbage collection pauses (${label}, ${seconds} s): ${Object.entries(ms)
        .map(([kind, pause]) => `${kind} ${pause} ms (longest ${gcLongest[kind] ?? 0})`)
        .join(', ')}` +
        (loopDelay
          ? `; event loop delay p50 ${loopDelay.p50} ms, p99 ${loopDelay.p99}, max ${loopDelay.max}`
          : '')
    )
  }
}

/**
 * Hands out users for the client groups, each user to one group only (a
 * revoked token must not be a reader's), scattered over the table.
 */
function userPicker(exclude) {
  const users = settings.shape.users
  let next = 0
  return (count) => {
    const ids = []
    while (ids.length < count && next < users) {
      const id = 2 + ((next++ * 7919) % (users - 1))
      if (!exclude.has(id)) ids.push(id)
    }
    return ids
  }
}

async function friendsOf(userId, limit) {
  const db = await mysql.createConnection(settings.connection)
  try {
    const [rows] = await db.query('SELECT friend_id FROM friendships WHERE user_id = ? LIMIT ?', [
      userId,
      limit,
    ])
    return rows.map((row) => row.friend_id)
  } finally {
    await db.end()
  }
}

async function main() {
  const startedAt = new Date()
  await stack.allocatePorts()
  if (!settings.skipBuild) {
    log('building the app (node ace build)')
    await run(process.execPath, ['ace', 'build'], { cwd: settings.root, env: { ...process.env } })
  }
  await stack.chooseSessionDriver()
  if (settings.replica) await stack.startReplicatedDatabase()
  await stack.migrate()

  log(
    `seeding ${settings.shape.users.toLocaleString('en')} users (${JSON.stringify(settings.shape)})`
  )
  const seeder = new Seeder(settings.connection, settings.shape, log, settings.buildDir)
  const seedStarted = performance.now()
  const seedStats = await seeder.run(await seedPassword(settings.buildDir), {
    reuse: !settings.reseed,
  })
  const seedSeconds = round((performance.now() - seedStarted) / 1000)
  await stack.replicaCaughtUp()
  log(`seed ready in ${seedSeconds} s: ${JSON.stringify(seedStats)}`)
  const features = new Set([
    'users',
    ...(seeder.hasPosts ? ['posts'] : []),
    ...(seeder.hasFriends ? ['friendships'] : []),
  ])

  await stack.ensureVhost()
  await stack.resetQueues()
  await stack.start()

  // Signed-in clients, each group its own users.
  const fanoutIds = features.has('friendships')
    ? await friendsOf(seeder.fanoutUser, settings.shape.fanoutFriends)
    : []
  // Neither side of a seeded block signs in: their reads of each other would answer 404.
  const take = userPicker(new Set([seeder.fanoutUser, ...fanoutIds, ...seeder.blockers]))
  const viewerIds = take(settings.viewers)
  const browserIds = take(settings.browsers)
  const updaterIds = take(settings.updaters)
  const revocableIds = take(settings.smoke ? 3 : 20)
  const sessionIds = take(settings.smoke ? 3 : 20)
  const tokenIds = [
    ...new Set([seeder.fanoutUser, ...viewerIds, ...updaterIds, ...revocableIds, ...fanoutIds]),
  ]
  const tokens = new Map(await stack.issueTokens(tokenIds))
  await stack.replicaCaughtUp()
  const selectsBefore = settings.replica ? await stack.selects() : null
  log(`${tokens.size} bearer tokens issued (token prefix "${stack.tokenPrefix}")`)
  await stack.startFloor()
  const cookies = await stack.sessionCookies(browserIds)
  log(`${cookies.length} browsers signed in`)

  const withTokens = (ids) => ids.map((id) => [id, tokens.get(id)])
  const bench = new Bench({
    features,
    seedStats,
    viewers: withTokens(viewerIds),
    cookies,
    updaters: withTokens(updaterIds),
    revocableTokens: withTokens(revocableIds),
    revocableSessions: sessionIds,
    fanout: { authorToken: tokens.get(seeder.fanoutUser), friends: withTokens(fanoutIds) },
  })

  const ran = []
  const skipped = []
  for (const scenario of SCENARIOS) {
    const file = scenario.name
    if (settings.only && !settings.only.some((name) => file.includes(name))) continue
    const missing = (scenario.requires ?? []).filter((table) => !features.has(table))
    if (missing.length) {
      log(`skipping "${scenario.name}": no ${missing.join(', ')} table yet`)
      skipped.push({ scenario: scenario.name, missing })
      continue
    }
    log(`--- ${scenario.name}`)
    await scenario.run(bench)
    ran.push(scenario)
  }
  // What app A's memory was made of at its highest RSS of the run.
  await stack.cacheStats()
  if (stack.webMemory) log(`web process at its peak RSS (MB): ${JSON.stringify(stack.webMemory)}`)
  return {
    startedAt,
    webMemory: stack.webMemory,
    selects: selectsBefore ? await stack.selects(selectsBefore) : undefined,
    ran,
    skipped,
    seedStats,
    seedSeconds,
    readyMs: [stack.appA.readyMs, stack.appB.readyMs],
  }
}

function targets({ ran, readyMs }) {
  const peak = (key) => Math.max(0, ...results.rows.map((r) => r.rss?.[key] ?? 0))
  const lines = ran.flatMap((scenario) => scenario.targets(results))
  lines.push(
    ['Web process peak RSS < 256 MB in every scenario', `${peak('web')} MB`, peak('web') < 256],
    ['Worker RSS < 200 MB under load', `${peak('worker')} MB`, peak('worker') < 200],
    [
      'Built server ready < 1 s',
      `${Math.round(Math.max(...readyMs))} ms`,
      Math.max(...readyMs) < 1000,
    ]
  )
  return lines.map(([target, measured, met]) => ({ target, measured, met }))
}

let summary
let exitCode = 0
try {
  summary = await main()
} catch (error) {
  console.error(error)
  exitCode = 1
} finally {
  await stack.stop()
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
    mode: settings.smoke ? 'smoke' : 'full',
    date: summary.startedAt.toISOString(),
    machine,
    settings: {
      durationSeconds: settings.duration,
      mixedSeconds: settings.mixedSeconds,
      shape: settings.shape,
      zipf: settings.zipf,
      sessionStore: stack.sessionDriver,
      readReplica: settings.replica,
    },
    selects: summary.selects,
    seed: { ...summary.seedStats, readySeconds: summary.seedSeconds },
    skipped: summary.skipped,
    readyMs: summary.readyMs.map((ms) => Math.round(ms)),
    cacheHitRates: results.cacheStats,
    gcPauses: results.gcPauses,
    webMemoryAtPeak: summary.webMemory,
    scenarios: results.rows,
    targets: checks,
  }
  console.log(`\n${markdownTable(results.rows)}\n`)
  if (settings.smoke)
    console.log('(smoke: the targets are for the full bench; misses are expected)')
  for (const check of checks)
    console.log(`${check.met ? 'met ' : 'MISS'}  ${check.target}: ${check.measured}`)
  for (const skip of summary.skipped)
    console.log(`skipped  ${skip.scenario}: no ${skip.missing.join(', ')} table`)
  if (summary.selects)
    console.log(
      `SELECTs during the scenarios: ${summary.selects.replica} on the read replica, ${summary.selects.primary} on the primary (the floor's and the bench's checks included)`
    )
  console.log(`load average at the end: ${machine.loadAverageAtEnd.join(' / ')}`)

  await mkdir(settings.resultsDir, { recursive: true })
  // A run on a read replica keeps its own files beside the plain run's.
  const base = (settings.smoke ? 'smoke' : 'latest') + (settings.replica ? '.replica' : '')
  await writeFile(join(settings.resultsDir, `${base}.json`), JSON.stringify(output, null, 2) + '\n')
  const chartRows = results.rows.filter((r) => r.rps !== undefined && r.p99 !== undefined)
  await writeFile(
    join(settings.resultsDir, `${base}.svg`),
    chart(chartRows, {
      title: 'G-Social beside a plain node:http + mysql2 floor',
      subtitle: `${machine.cpus} cores, ${machine.node}, ${settings.duration} s per scenario, ${settings.shape.users.toLocaleString('en')} users, ${output.date.slice(0, 10)}`,
    })
  )
  log(`wrote benchmarks/results/${base}.json and ${base}.svg`)

  // Fails only when the bench is broken or the app is wrong, never on slow numbers.
  const broken = results.rows.filter(
    (r) => (r.requests ?? r.delivered ?? r.registered ?? r.reached ?? r.tokens) === 0
  )
  const wrong = results.rows.filter((r) => r.stale || r.leaks)
  if (broken.length || wrong.length) {
    console.error(`[bench] broken: ${[...broken, ...wrong].map((r) => r.name).join(', ')}`)
    exitCode = 1
  }
  if (summary.selects?.replica === 0) {
    console.error('[bench] broken: --replica, but the read replica served no SELECT')
    exitCode = 1
  }
}
process.exit(exitCode)
