/*
| Everything a run starts, all on 127.0.0.1 with ports the OS picks: the
| built app (two replicas), the worker, the floor, an SMTP sink, with
| --replica a MariaDB primary and read replica of its own; and the
| signed-in clients the scenarios use (bearer tokens, session cookies).
*/
import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import amqp from 'amqplib'
import { Redis } from 'ioredis'
import mysql from 'mysql2/promise'
import { Child, freePort, rssSampler, run, sleep } from './processes.js'
import { SEED_PASSWORD } from './seed.js'
import { ReplicatedMariaDb } from './replica.js'
import { APP_USER } from './replication.js'

export class Stack {
  children = []
  ports = {}

  constructor(settings, log) {
    this.settings = settings
    this.log = log
    this.appKey = randomBytes(24).toString('base64url')
  }

  async allocatePorts() {
    for (const name of ['floor', 'appA', 'appB', 'smtp', 'sinkApi'])
      this.ports[name] = await freePort()
  }

  /** The environment every app process (web, worker, ace) gets: nothing from .env. */
  appEnv(extra) {
    const { connection, redis, amqpUrl } = this.settings
    // With a replica, the app is a user read_only stops, as in production.
    const appUser = this.replicated ? APP_USER : connection
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: 'UTC',
      NODE_ENV: 'production',
      // As the image sets them (Dockerfile): argon2's buffers go back to the OS,
      // and V8's heap stays near what the app keeps (old generation 1.3x, not 4x,
      // between full collections; 16 MB semi-spaces, BENCHMARKS.md log 54).
      UV_THREADPOOL_SIZE: '3',
      NODE_OPTIONS: '--max-old-space-size=256 --max-semi-space-size=16',
      GLIBC_TUNABLES:
        'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1',
      HOST: '127.0.0.1',
      PORT: '0',
      APP_URL: 'http://127.0.0.1',
      APP_KEY: this.appKey,
      LOG_LEVEL: 'warn',
      SESSION_DRIVER: this.sessionDriver ?? 'cookie',
      DB_HOST: connection.host,
      DB_PORT: String(connection.port),
      DB_USER: appUser.user,
      DB_PASSWORD: appUser.password,
      DB_DATABASE: connection.database,
      ...(this.replicated && { DB_READ_HOSTS: `127.0.0.1:${this.replicated.replica.port}` }),
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      REDIS_PASSWORD: process.env.REDIS_PASSWORD ?? '',
      REDIS_DB: String(redis.db),
      AMQP_URL: amqpUrl,
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.ports.smtp),
      MAIL_FROM_ADDRESS: 'hello@bench.test',
      MAIL_FROM_NAME: 'G-Social bench',
      DRIVE_DISK: 'fs',
      LIMITER_STORE: 'redis',
      ...extra,
    }
  }

  /**
   * Sessions live where production keeps them: Redis once the built config
   * has that store (so a sign-out ends the session on every replica), the
   * signed cookie otherwise.
   */
  async chooseSessionDriver() {
    const config = await readFile(join(this.settings.buildDir, 'config/session.js'), 'utf8')
    this.sessionDriver = /stores\.redis\(/.test(config) ? 'redis' : 'cookie'
    this.log(`session store: ${this.sessionDriver}`)
  }

  spawn(name, args, options) {
    const child = new Child(name, process.execPath, args, options)
    this.children.push(child)
    return child
  }

  /** Node's flags for a process of `role`: `--cpu-prof` when BENCH_PROFILE names it. */
  #nodeFlags(role) {
    const { profiled, profilesDir } = this.settings
    if (!profiled.has(role)) return []
    return ['--cpu-prof', `--cpu-prof-dir=${join(profilesDir, role)}`]
  }

  async startApp(name, port) {
    // BENCH_PROFILE=web profiles app A, the replica most scenarios load.
    const flags = name === 'app A' ? this.#nodeFlags('web') : []
    const child = this.spawn(
      name,
      [
        ...flags,
        // As the image starts them (Dockerfile's CMD).
        '--heap-growing-percent=30',
        ...this.settings.webNodeFlags,
        '--import',
        this.settings.statsPreload,
        'bin/server.js',
      ],
      { cwd: this.settings.buildDir, env: this.appEnv({ PORT: String(port) }) }
    )
    const readyMs = await child.waitForHttp(`http://127.0.0.1:${port}/health/live`)
    return { name, child, port, url: `http://127.0.0.1:${port}`, readyMs }
  }

  startWorker() {
    this.worker = this.spawn('worker', [...this.#nodeFlags('worker'), 'ace', 'worker'], {
      cwd: this.settings.buildDir,
      env: this.appEnv(),
    })
    return this.worker
  }

  /**
   * --replica: the bench's own primary and replica; from here on the bench
   * (seed, tokens, SQL checks, the floor) works on the primary as root.
   */
  async startReplicatedDatabase() {
    const { connection, smoke } = this.settings
    this.log('starting a MariaDB primary and a read-only replica')
    this.replicated = await ReplicatedMariaDb.start(
      connection.database,
      smoke ? [] : ['--innodb-buffer-pool-size=512M']
    )
    this.settings.connection = {
      ...connection,
      host: '127.0.0.1',
      port: this.replicated.primary.port,
      user: 'root',
      password: '',
    }
    this.log(
      `primary on port ${this.replicated.primary.port}, replica on ${this.replicated.replica.port}`
    )
  }

  /** Waits for the replica to have the bench's own writes (seed, tokens); app writes are the app's. */
  async replicaCaughtUp() {
    await this.replicated?.caughtUp()
  }

  /** SELECTs each server has run (since `before`): the replica's show that it serves reads. */
  async selects(before = { primary: 0, replica: 0 }) {
    const count = async (name) => {
      const [row] = await this.replicated[name].query("SHOW GLOBAL STATUS LIKE 'Com_select'")
      return Number(row.Value) - before[name]
    }
    return { primary: await count('primary'), replica: await count('replica') }
  }

  async migrate() {
    const { buildDir, connection } = this.settings
    this.log(`database ${connection.database}: db:create, migration:run --force (production build)`)
    await run(process.execPath, ['ace', 'db:create'], { cwd: buildDir, env: this.appEnv() })
    // The bench database has one migrator; MariaDB's lock name is server-wide.
    await run(process.execPath, ['ace', 'migration:run', '--force', '--disable-locks'], {
      cwd: buildDir,
      env: this.appEnv(),
    })
  }

  /** The vhost must exist; a fresh RabbitMQ only has "/" (the app's own mq:create). */
  async ensureVhost() {
    await run(process.execPath, ['ace', 'mq:create'], {
      cwd: this.settings.buildDir,
      env: this.appEnv(),
    })
  }

  async resetQueues() {
    const client = new Redis({
      ...this.settings.redis,
      password: process.env.REDIS_PASSWORD || undefined,
    })
    await client.flushdb()
    client.disconnect()
    const connection = await amqp.connect(this.settings.amqpUrl)
    const channel = await connection.createChannel()
    await channel.deleteQueue('email_sender')
    await connection.close()
  }

  async start() {
    this.spawn('smtp sink', [join(this.settings.here, 'smtp_sink.js')], {
      env: {
        ...process.env,
        SMTP_PORT: String(this.ports.smtp),
        SINK_API_PORT: String(this.ports.sinkApi),
      },
    })
    this.appA = await this.startApp('app A', this.ports.appA)
    this.log(`built server ready in ${Math.round(this.appA.readyMs)} ms`)
    // One start at a time, so each ready time is a server's own cold start.
    this.appB = await this.startApp('app B', this.ports.appB)
    this.startWorker()
  }

  /** The floor, once a sign-in has shown the app's token prefix. */
  async startFloor() {
    const { connection, here } = this.settings
    this.floor = this.spawn('floor', [...this.#nodeFlags('floor'), join(here, 'floor.js')], {
      env: {
        ...process.env,
        PORT: String(this.ports.floor),
        TOKEN_PREFIX: this.tokenPrefix,
        DB_DATABASE: connection.database,
        DB_HOST: connection.host,
        DB_PORT: String(connection.port),
        DB_USER: connection.user,
        DB_PASSWORD: connection.password,
      },
    })
    this.floorUrl = `http://127.0.0.1:${this.ports.floor}`
    await this.floor.waitForHttp(`${this.floorUrl}/users/1`)
  }

  /** Peak RSS of the web process (app A) and the worker while a scenario runs. */
  watch(extra = {}) {
    return rssSampler({ web: this.appA.child, worker: this.worker, ...extra })
  }

  /**
   * Hit rates of app A's in-process caches since its start (SIGUSR2, see
   * stats_preload.js); `webMemory` then holds what app A's memory was made
   * of at its highest RSS so far, and `gcMs` its garbage collection's pauses
   * since its start, `stalls` the longest of them and the event loop's
   * delay since the last call.
   */
  async cacheStats() {
    const child = this.appA.child
    const before = child.output.length
    child.process.kill('SIGUSR2')
    for (let i = 0; i < 200; i++) {
      await sleep(25)
      const match = /HOT_MAP_STATS (.*)\nPEAK_MEMORY (.*)\nGC_MS (.*)\nSTALLS (.*)\n/.exec(
        child.output.slice(before)
      )
      if (match) {
        this.webMemory = JSON.parse(match[2])
        this.gcMs = JSON.parse(match[3])
        this.stalls = JSON.parse(match[4])
        return JSON.parse(match[1])
      }
    }
    return null
  }

  async stop() {
    await Promise.all(this.children.map((child) => child.stop()))
    await this.replicated?.destroy()
  }

  /*
  |--------------------------------------------------------------------------
  | Signed-in clients
  |--------------------------------------------------------------------------
  */

  /**
   * Bearer tokens for `ids`. One real sign-in shows the token format the
   * app issues (prefix, type, lifetime); the rest are written in one INSERT
   * in that format (random secret, its SHA-256 stored), as the app would,
   * instead of paying an argon2 hash for each.
   */
  async issueTokens(ids) {
    const [first] = await this.signIn([ids[0]])
    const db = await mysql.createConnection(this.settings.connection)
    try {
      const [[row]] = await db.query('SELECT * FROM auth_access_tokens ORDER BY id DESC LIMIT 1')
      const prefix = first.token.slice(
        0,
        first.token.indexOf(Buffer.from(String(row.id)).toString('base64url') + '.')
      )
      this.tokenPrefix = prefix
      const [[{ next }]] = await db.query(
        'SELECT COALESCE(MAX(id), 0) + 1 AS next FROM auth_access_tokens'
      )
      const now = new Date()
      const rows = []
      const tokens = new Map([[ids[0], first.token]])
      ids.slice(1).forEach((userId, i) => {
        const id = next + i
        const secret = randomBytes(30).toString('base64url')
        tokens.set(
          userId,
          `${prefix}${Buffer.from(String(id)).toString('base64url')}.${Buffer.from(secret).toString('base64url')}`
        )
        rows.push([
          id,
          userId,
          row.type,
          null,
          createHash('sha256').update(secret).digest('hex'),
          '["*"]',
          now,
          now,
          null,
          row.expires_at,
        ])
      })
      for (let start = 0; start < rows.length; start += 5000) {
        await db.query(
          'INSERT INTO auth_access_tokens (id, tokenable_id, type, name, hash, abilities, created_at, updated_at, last_used_at, expires_at) VALUES ?',
          [rows.slice(start, start + 5000)]
        )
      }
      return [...tokens]
    } finally {
      await db.end()
    }
  }

  /** Real API sign-ins (argon2 each), eight at a time: [{ id, token }]. */
  async signIn(ids, url = this.appA.url) {
    const out = []
    for (let start = 0; start < ids.length; start += 8) {
      const batch = ids.slice(start, start + 8)
      out.push(
        ...(await Promise.all(
          batch.map(async (id) => {
            const response = await fetch(`${url}/api/auth/login`, {
              method: 'POST',
              // One client address per user, as behind Nginx: the per-IP
              // sign-in limit is not what this measures.
              headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(id) },
              body: JSON.stringify({ uid: `user${id}`, password: SEED_PASSWORD }),
            })
            if (response.status !== 200) throw new Error(`login of user${id}: ${response.status}`)
            return { id, token: (await response.json()).token }
          })
        ))
      )
    }
    return out
  }

  /** Browser sign-ins through the form (CSRF and all): [[id, cookie header]]. */
  async sessionCookies(ids, url = this.appA.url) {
    const out = []
    for (let start = 0; start < ids.length; start += 8) {
      out.push(
        ...(await Promise.all(
          ids.slice(start, start + 8).map(async (id) => [id, await webSignIn(url, id)])
        ))
      )
    }
    return out
  }
}

export const clientAddress = (n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`

/** Cookies a response set, merged into `jar` (name → value). */
export function keepCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const at = pair.indexOf('=')
    jar.set(pair.slice(0, at), pair.slice(at + 1))
  }
  return jar
}

export const cookieHeader = (jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

/** A form page's CSRF token, as csrfField() renders it. */
export const csrfToken = (html) => /name=['"]_csrf['"] value=['"]([^'"]+)['"]/.exec(html)?.[1]

/** Signs user `id` in through GET and POST /login; returns the cookie header. */
export async function webSignIn(url, id) {
  const jar = new Map()
  const form = await fetch(`${url}/login`, { headers: { 'x-forwarded-for': clientAddress(id) } })
  keepCookies(jar, form)
  const body = new URLSearchParams({
    uid: `user${id}`,
    password: SEED_PASSWORD,
    _csrf: csrfToken(await form.text()),
  })
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'cookie': cookieHeader(jar),
      'x-forwarded-for': clientAddress(id),
    },
    body,
  })
  await response.arrayBuffer()
  // Signing in lands on the feed.
  if (response.status !== 302 || !/\/feed$/.test(response.headers.get('location') ?? '')) {
    throw new Error(
      `web sign-in of user${id}: ${response.status} → ${response.headers.get('location')}`
    )
  }
  return cookieHeader(keepCookies(jar, response))
}
