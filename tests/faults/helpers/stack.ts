import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { BuiltApp } from '#tests/integration/helpers/built_app'
import type { ChildService } from '#tests/integration/helpers/processes'
import { freePort } from '#tests/integration/helpers/processes'
import { SmtpSink } from '#tests/integration/helpers/smtp_sink'
import { PrivateMariaDb, PrivateRabbitMq, PrivateRedis } from './servers.js'

/**
 * The whole system on private servers: the built web app and worker, an
 * SMTP sink, and MariaDB, Redis and RabbitMQ that the tests may stop.
 */
export class FaultStack {
  app!: BuiltApp
  worker!: ChildService
  sink!: SmtpSink
  env!: NodeJS.ProcessEnv
  #registrations = 0

  constructor(
    readonly mysql: PrivateMariaDb,
    readonly redis: PrivateRedis,
    readonly rabbitmq: PrivateRabbitMq
  ) {}

  static async start() {
    const [mysql, redis, rabbitmq] = await Promise.all([
      PrivateMariaDb.create(),
      PrivateRedis.create(),
      PrivateRabbitMq.create(),
      BuiltApp.build(),
    ])
    const stack = new FaultStack(mysql, redis, rabbitmq)
    await Promise.all([mysql.start(), redis.start(), rabbitmq.start()])

    const smtpPort = await freePort()
    stack.sink = await new SmtpSink(smtpPort).start()
    stack.env = {
      DB_HOST: '127.0.0.1',
      DB_PORT: String(mysql.port),
      DB_DATABASE: 'gsocial_faults',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(redis.port),
      REDIS_DB: '0',
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${rabbitmq.port}`,
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      LIMITER_STORE: 'redis',
      OUTBOX_LEASE_SECONDS: '5',
      // As in the image (Dockerfile): argon2's 7 MiB buffers go back to the OS.
      UV_THREADPOOL_SIZE: '3',
      GLIBC_TUNABLES:
        'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1',
    }
    await BuiltApp.ace(['db:create'], stack.env)
    await BuiltApp.ace(['migration:run', '--force'], stack.env)
    stack.app = await BuiltApp.start({
      ...stack.env,
      NODE_OPTIONS: `--require ${fileURLToPath(new URL('./gc_on_signal.cjs', import.meta.url))}`,
    })
    stack.worker = await stack.startWorker()
    return stack
  }

  startWorker() {
    return BuiltApp.startWorker(['--sweep-every=2'], this.env)
  }

  url(path: string) {
    return `http://${this.app.address}${path}`
  }

  /**
   * Registers a new user through the API, from an address of its own so
   * the per-IP registration limit stays out of the way.
   */
  async register() {
    const id = randomUUID().slice(0, 8)
    const email = `user.${id}@example.com`
    const response = await fetch(this.url('/api/users'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.0.${Math.floor(this.#registrations / 250)}.${(this.#registrations++ % 250) + 1}`,
      },
      body: JSON.stringify({
        username: `user_${id}`,
        email,
        first_name: 'Fault',
        last_name: 'Tolerant',
        password: 'resilient password',
      }),
      signal: AbortSignal.timeout(30_000),
    })
    const body = (await response.json()) as { id: number }
    return { status: response.status, id: body.id, email }
  }

  async stop() {
    await this.worker?.stop()
    await this.app?.stop()
    await this.sink?.stop()
    await Promise.allSettled([this.mysql.destroy(), this.redis.destroy(), this.rabbitmq.destroy()])
  }
}
