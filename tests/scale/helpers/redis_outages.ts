import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { BuiltApp } from '#tests/integration/helpers/built_app'
import { freePort, run } from '#tests/integration/helpers/processes'
import { PrivateRedis, PrivateServer } from '#tests/faults/helpers/servers'
import { befriend, insertUsers } from '#tests/feed_graph'
import { waitUntil } from '#tests/helpers'
import { AppFleet } from './app_fleet.js'

/** redis-cli against a port; its answer, trimmed. */
export async function redisCli(port: number, ...args: string[]) {
  const result = await run('redis-cli', ['-p', String(port), ...args])
  if (result.code !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

/**
 * One Sentinel watching one primary. It never fails over by itself during
 * the tests (a server stopped for a few seconds stays the primary); only
 * `SENTINEL FAILOVER` moves the primary.
 */
class PrivateSentinel extends PrivateServer {
  static async create(name: string, primaryPort: number) {
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-scale-sentinel-'))
    const sentinel = new PrivateSentinel('Sentinel', await freePort(), dir)
    // Sentinel rewrites its config file: it must be a writable file of its own.
    await writeFile(
      join(dir, 'sentinel.conf'),
      [
        `port ${sentinel.port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 1`,
        `sentinel down-after-milliseconds ${name} 60000`,
        `sentinel failover-timeout ${name} 20000`,
      ].join('\n') + '\n'
    )
    return sentinel
  }

  start() {
    return this.startProcess('redis-server', [join(this.dir, 'sentinel.conf'), '--sentinel'])
  }

  stop() {
    return this.waitForExit()
  }
}

/**
 * A Redis primary and its replica, both with the append-only file as in
 * docker-compose.yml (a stopped server comes back with its data), and a
 * Sentinel that names the primary.
 */
export class RedisWithSentinel {
  private constructor(
    readonly name: string,
    readonly servers: PrivateRedis[],
    readonly sentinel: PrivateSentinel
  ) {}

  static async start(name = 'gsocial') {
    const durable = ['--appendonly', 'yes', '--appendfsync', 'always']
    const primary = await PrivateRedis.create(durable)
    await primary.start()
    const replica = await PrivateRedis.create([
      ...durable,
      '--replicaof',
      '127.0.0.1',
      String(primary.port),
    ])
    await replica.start()
    const sentinel = await PrivateSentinel.create(name, primary.port)
    await sentinel.start()
    const group = new RedisWithSentinel(name, [primary, replica], sentinel)
    // Sentinel learns of the replica from the primary's INFO.
    await waitUntil(async () => {
      const replicas = await redisCli(sentinel.port, 'sentinel', 'replicas', name)
      return replicas.includes(String(replica.port)) && !replicas.includes('s_down')
    }, 30_000)
    return group
  }

  /** The primary, as Sentinel names it. */
  async primary() {
    const answer = await redisCli(
      this.sentinel.port,
      'sentinel',
      'get-master-addr-by-name',
      this.name
    )
    const port = Number(answer.split('\n')[1])
    return this.servers.find((server) => server.port === port)!
  }

  /** The settings that send every connection of the app through Sentinel. */
  async env(): Promise<NodeJS.ProcessEnv> {
    return {
      // What an app that ignores Sentinel would use: the primary of the moment.
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String((await this.primary()).port),
      REDIS_DB: '0',
      REDIS_SENTINELS: `127.0.0.1:${this.sentinel.port}`,
      REDIS_SENTINEL_NAME: this.name,
    }
  }

  /**
   * Promotes the replica: waits until the replica has everything the
   * primary holds, asks Sentinel to fail over, and returns once the new
   * primary takes writes and the old one replicates from it.
   */
  async failover() {
    const before = await this.primary()
    await redisCli(before.port, 'wait', '1', '5000')
    await redisCli(this.sentinel.port, 'sentinel', 'failover', this.name)
    await waitUntil(async () => (await this.primary()) !== before, 30_000)
    const after = await this.primary()
    await waitUntil(async () => {
      const [newRole, oldRole] = await Promise.all([
        redisCli(after.port, 'role'),
        redisCli(before.port, 'role'),
      ])
      return newRole.startsWith('master') && oldRole.startsWith('slave')
    }, 30_000)
    return { before, after }
  }

  async destroy() {
    await this.sentinel.destroy()
    await Promise.allSettled(this.servers.map((server) => server.destroy()))
  }
}

/**
 * The built app and a worker (jobs, sweeps every second, schedules checked
 * every 2 s) on the shared MariaDB (this run's database) and the private
 * Redis through its Sentinel.
 */
export class RedisOutageStack {
  private constructor(
    readonly redis: RedisWithSentinel,
    readonly fleet: AppFleet
  ) {}

  static async start() {
    const [redis] = await Promise.all([RedisWithSentinel.start(), BuiltApp.build()])
    const env = { ...(await redis.env()), LIMITER_STORE: 'redis', SESSION_DRIVER: 'redis' }
    try {
      const fleet = await AppFleet.start(env, {
        replicas: 1,
        workerArgs: ['--only=jobs', '--only=sweep', '--sweep-every=1', '--schedules-every=2'],
      })
      return new RedisOutageStack(redis, fleet)
    } catch (error) {
      await redis.destroy()
      throw error
    }
  }

  get app() {
    return this.fleet.replicas[0]
  }

  url(path: string) {
    return `http://${this.app.address}${path}`
  }

  /** Friends `count` users who can sign in; the first gets an API token. */
  async users(tag: string, count: number, password: string) {
    const ids = await insertUsers(count, tag)
    await db
      .from('users')
      .whereIn('id', ids)
      .update({ password: await hash.make(password) })
    const users = await User.query().whereIn('id', ids).orderBy('id')
    const token = await User.accessTokens.create(users[0])
    return { users, token: token.value!.release() }
  }

  async befriend(a: User, b: User) {
    await befriend([[a.id, b.id]])
  }

  /** A JSON API call with the token; its status, body and how long it took. */
  async api(method: string, path: string, token: string, body?: object) {
    const started = performance.now()
    const response = await fetch(this.url(path), {
      method,
      headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await response.text()
    return { status: response.status, text, ms: Math.round(performance.now() - started) }
  }

  async stop() {
    await this.fleet.stop()
    await this.redis.destroy()
  }
}
