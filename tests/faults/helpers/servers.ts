import { mkdtemp, rm, chmod, chown, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { ChildService, freePort, run } from '#tests/integration/helpers/processes'

/**
 * Throwaway servers for the fault suite: real MariaDB, Redis and RabbitMQ,
 * each on its own port and data folder, so stopping one harms nothing else
 * on the machine. Each is stopped and started with its own commands.
 */
export abstract class PrivateServer {
  process?: ChildService
  constructor(
    readonly name: string,
    readonly port: number,
    readonly dir: string
  ) {}

  abstract start(): Promise<void>
  abstract stop(): Promise<void>

  protected async startProcess(command: string, args: string[], env?: NodeJS.ProcessEnv) {
    this.process = ChildService.start(this.name, command, args, { env: env ?? process.env })
    await this.process.waitForPort(this.port, 60_000)
  }

  protected async waitForExit() {
    await this.process?.stop()
  }

  async destroy() {
    await this.process?.stop()
    await rm(this.dir, { recursive: true, force: true })
  }
}

async function runOrFail(name: string, args: string[], env?: NodeJS.ProcessEnv) {
  const result = await run(name, args, { env: env ?? process.env })
  if (result.code !== 0) {
    throw new Error(`${name} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`)
  }
}

export class PrivateMariaDb extends PrivateServer {
  static async create() {
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-faults-mariadb-'))
    await runOrFail('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${join(dir, 'data')}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ])
    return new PrivateMariaDb('MariaDB', await freePort(), dir)
  }

  start() {
    return this.startProcess('mariadbd', [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(this.dir, 'mysqld.sock')}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      '--user=root',
      // A private test server: anyone on loopback may connect as root.
      '--skip-grant-tables',
      '--innodb-buffer-pool-size=64M',
      '--skip-log-bin',
    ])
  }

  async stop() {
    await runOrFail('mariadb-admin', ['-h127.0.0.1', `-P${this.port}`, '-uroot', 'shutdown'])
    await this.waitForExit()
  }
}

export class PrivateRedis extends PrivateServer {
  #args: string[] = []

  /** `args` are added to (and override) the defaults: `--replicaof host port`, `--appendonly yes`. */
  static async create(args: string[] = []) {
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-faults-redis-'))
    const redis = new PrivateRedis('Redis', await freePort(), dir)
    redis.#args = args
    return redis
  }

  start() {
    return this.startProcess('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'no',
      ...this.#args,
    ])
  }

  async stop() {
    await runOrFail('redis-cli', ['-p', String(this.port), 'shutdown', 'nosave'])
    await this.waitForExit()
  }
}

/**
 * A second RabbitMQ node. "Restart" is the broker's own stop_app and
 * start_app: every connection drops, queues and the node stay.
 */
export class PrivateRabbitMq extends PrivateServer {
  #env: NodeJS.ProcessEnv = {}

  static async create() {
    const dir = await mkdtemp(join(tmpdir(), 'gsocial-faults-rabbitmq-'))
    const server = new PrivateRabbitMq('RabbitMQ', await freePort(), dir)
    const node = `gsfaults${server.port}@localhost`
    await mkdir(join(dir, 'mnesia'))
    await mkdir(join(dir, 'log'))
    await writeFile(join(dir, 'enabled_plugins'), '[].')
    // rabbitmq-server drops to the rabbitmq user when started as root.
    const uid = Number(execFileSync('id', ['-u', 'rabbitmq']).toString())
    const gid = Number(execFileSync('id', ['-g', 'rabbitmq']).toString())
    for (const path of [dir, join(dir, 'mnesia'), join(dir, 'log'), join(dir, 'enabled_plugins')]) {
      await chown(path, uid, gid)
    }
    await chmod(dir, 0o755)
    server.#env = {
      ...process.env,
      RABBITMQ_NODENAME: node,
      RABBITMQ_NODE_PORT: String(server.port),
      RABBITMQ_DIST_PORT: String(await freePort()),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq'),
    }
    return server
  }

  get node() {
    return this.#env.RABBITMQ_NODENAME!
  }

  async start() {
    if (this.process?.running) {
      await runOrFail('rabbitmqctl', ['-q', '-n', this.node, 'start_app'])
      return
    }
    await this.startProcess('rabbitmq-server', [], this.#env)
    await runOrFail('rabbitmqctl', ['-q', '-n', this.node, 'await_startup'])
  }

  stop() {
    return runOrFail('rabbitmqctl', ['-q', '-n', this.node, 'stop_app'])
  }

  async destroy() {
    if (this.process?.running) {
      await runOrFail('rabbitmqctl', ['-q', '-n', this.node, 'stop']).catch(() => {})
    }
    await super.destroy()
  }
}
