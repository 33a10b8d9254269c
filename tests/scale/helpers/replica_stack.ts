import { randomUUID } from 'node:crypto'
import { BuiltApp } from '#tests/integration/helpers/built_app'
import { freePort } from '#tests/integration/helpers/processes'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { PrivateRedis } from '#tests/faults/helpers/servers'
import { AppFleet } from './app_fleet.js'
import { APP_USER, ReplicatedMariaDb } from './replicated_mariadb.js'

export const DATABASE = 'gsocial_scale_replica'
export const PASSWORD = 'replicated password'

/**
 * Two built app replicas and a worker on a MariaDB primary with a
 * read-only replica (DB_READ_HOSTS), as the app's own database user, with
 * a Redis of their own and an SMTP sink. `settings` add to their env.
 */
export class ReplicaStack {
  fleet!: AppFleet
  sink!: SmtpSink
  env!: NodeJS.ProcessEnv
  #registrations = 0

  private constructor(
    readonly db: ReplicatedMariaDb,
    readonly redis: PrivateRedis
  ) {}

  static async start(settings: NodeJS.ProcessEnv) {
    const [db, redis] = await Promise.all([
      ReplicatedMariaDb.start(DATABASE),
      PrivateRedis.create(),
    ])
    const stack = new ReplicaStack(db, redis)
    try {
      await Promise.all([redis.start(), BuiltApp.build()])
      await stack.#run(settings)
    } catch (error) {
      await stack.stop()
      throw error
    }
    return stack
  }

  async #run(settings: NodeJS.ProcessEnv) {
    const smtpPort = await freePort()
    this.sink = await new SmtpSink(smtpPort).start()
    this.env = {
      DB_HOST: '127.0.0.1',
      DB_PORT: String(this.db.primary.port),
      DB_USER: APP_USER.user,
      DB_PASSWORD: APP_USER.password,
      DB_DATABASE: DATABASE,
      DB_READ_HOSTS: `127.0.0.1:${this.db.replica.port}`,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(this.redis.port),
      REDIS_DB: '0',
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      LIMITER_STORE: 'redis',
      ...settings,
    }
    await BuiltApp.ace(['migration:run', '--force'], this.env)
    await this.db.caughtUp()
    this.fleet = await AppFleet.start(this.env, { workerArgs: ['--sweep-every=2'] })
  }

  get app() {
    return this.fleet.replicas[0]
  }

  /** the second app replica: what one replica wrote, the other must show */
  get other() {
    return this.fleet.replicas[1]
  }

  url(path: string, app = this.app) {
    return `http://${app.address}${path}`
  }

  /** A JSON request; `token` signs it with a bearer token. */
  async api(method: string, path: string, body?: unknown, token?: string) {
    const response = await fetch(this.url(path), {
      method,
      headers: {
        'accept': 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        // Each registration from an address of its own: the per-IP limit stays out of the way.
        'x-forwarded-for': `10.1.0.${(this.#registrations % 250) + 1}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await response.text()
    return { status: response.status, text, json: text ? JSON.parse(text) : null }
  }

  /** Registers a new user through the API. */
  async register() {
    const id = randomUUID().slice(0, 8)
    const username = `user_${id}`
    const email = `user.${id}@example.com`
    this.#registrations++
    const response = await this.api('POST', '/api/users', {
      username,
      email,
      first_name: 'Read',
      last_name: 'Replica',
      password: PASSWORD,
    })
    if (response.status !== 201)
      throw new Error(`register answered ${response.status}: ${response.text}`)
    return { id: response.json.id as number, username, email }
  }

  /** Signs in through the API; the bearer token. */
  async token(username: string) {
    const response = await this.api('POST', '/api/auth/login', {
      uid: username,
      password: PASSWORD,
    })
    if (response.status !== 200)
      throw new Error(`sign-in answered ${response.status}: ${response.text}`)
    return response.json.token as string
  }

  /** What the app's readiness says of the read replicas. */
  async replicaReadiness() {
    const response = await fetch(this.url('/health/ready'), { signal: AbortSignal.timeout(10_000) })
    const report = await response.json()
    const check = report.checks.find((one: { name: string }) => one.name === 'MySQL read replicas')
    return { status: response.status, check }
  }

  async stop() {
    await this.fleet?.stop()
    await this.sink?.stop()
    await Promise.allSettled([this.db.destroy(), this.redis.destroy()])
  }
}
