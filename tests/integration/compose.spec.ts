import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { run } from './helpers/processes.js'

/**
 * docker-compose.yml as Compose resolves it, checked without a Docker engine by
 * the Python docker-compose (1.29, from apt): `config` validates the file,
 * interpolates it and merges env files in. Its YAML output becomes JSON through
 * PyYAML, which that docker-compose depends on.
 */
const DOCKER_COMPOSE = process.env.DOCKER_COMPOSE_BIN ?? '/usr/bin/docker-compose'

const SERVICES = ['mysql', 'redis', 'rabbitmq', 'minio', 'nginx', 'app', 'worker']
const VOLUMES = [
  'mysql_data',
  'rabbitmq_data',
  'redis_data',
  'static_volume',
  'media_volume',
  'minio_data',
]

interface Service {
  image?: string
  build?: unknown
  command?: string[]
  container_name?: string
  depends_on?: Record<string, { condition: string }>
  environment?: Record<string, string>
  healthcheck?: { test?: string[]; disable?: boolean }
  ports?: (string | { published: string | number; host_ip?: string; target: number })[]
  profiles?: string[]
  volumes?: string[]
}
interface ComposeConfig {
  services: Record<string, Service>
  volumes: Record<string, unknown>
}

/**
 * Runs `docker-compose <args>` on the repository's file with an environment of
 * its own (this process's holds .env.test, which would leak into ${...}):
 * `envFile` is both the containers' env_file and the --env-file for ${...}.
 */
async function compose(args: string[], envFile: string) {
  if (!existsSync(DOCKER_COMPOSE)) {
    throw new Error(
      `docker-compose not found at ${DOCKER_COMPOSE} (apt-get install docker-compose)`
    )
  }
  return run(
    DOCKER_COMPOSE,
    ['--env-file', envFile, '-f', app.makePath('docker-compose.yml'), ...args],
    { env: { PATH: process.env.PATH, GSOCIAL_ENV_FILE: envFile } }
  )
}

async function resolvedConfig(envFile: string): Promise<ComposeConfig> {
  const result = await compose(['config'], envFile)
  if (result.code !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`)
  const json = await run(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: result.stdout }
  )
  if (json.code !== 0) throw new Error(`Cannot read docker-compose's YAML:\n${json.stderr}`)
  return JSON.parse(json.stdout)
}

test.group('docker-compose.yml', (group) => {
  const example = app.makePath('.env.production.example')
  let dir: string
  let production: ComposeConfig

  group.setup(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gsocial-compose-'))
    production = await resolvedConfig(example)
    return () => rm(dir, { recursive: true, force: true })
  })

  test('is valid (config -q) with the committed example env file', async ({ assert }) => {
    const result = await compose(['config', '-q'], example)
    assert.equal(result.code, 0, result.stderr)
  })

  test('has the seven services and the six volumes', ({ assert }) => {
    assert.includeMembers(Object.keys(production.services), SERVICES)
    assert.sameMembers(Object.keys(production.volumes), VOLUMES)
  })

  test('every long-running service has a healthcheck', ({ assert }) => {
    for (const [name, service] of Object.entries(production.services)) {
      if (name === 'release') continue
      assert.isArray(service.healthcheck?.test, name)
      assert.isNotTrue(service.healthcheck?.disable, name)
    }
  })

  test('starts each service when what it needs is healthy, the app after the release step', ({
    assert,
  }) => {
    const servers = {
      mysql: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
      minio: { condition: 'service_healthy' },
    }
    const released = { release: { condition: 'service_completed_successfully' } }
    const { services } = production
    assert.deepEqual(services.release.depends_on, servers)
    assert.deepEqual(services.app.depends_on, { ...servers, ...released })
    assert.deepEqual(services.worker.depends_on, { ...servers, ...released })
    assert.deepEqual(services.nginx.depends_on, { app: { condition: 'service_healthy' } })
  })

  test('runs migrations and creates the bucket once, before the app serves', ({ assert }) => {
    const release = production.services.release
    assert.equal(release.image, production.services.app.image)
    assert.match(
      release.command!.join(' '),
      /node ace db:create && node ace migration:run --force && node ace drive:ensure-bucket && cp -R public\/static\/\. \/srv\/static\//
    )
    assert.include(release.volumes!, 'static_volume:/srv/static:rw')
  })

  test('app and worker run one image from build/: the server as the image starts it, and `node ace worker`', async ({
    assert,
  }) => {
    const { app: web, worker } = production.services
    assert.isDefined(web.build)
    assert.equal(worker.image, web.image)
    // The web service starts the server with the image's own CMD (its heap flag included).
    const dockerfile = await readFile(app.makePath('Dockerfile'), 'utf8')
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)![1])
    assert.deepEqual(cmd, ['node', '--heap-growing-percent=30', 'bin/server.js'])
    assert.deepEqual(web.command, cmd)
    assert.deepEqual(worker.command, ['node', 'ace', 'worker'])
    assert.include(web.volumes!, 'media_volume:/app/storage:rw')
  })

  test('the app scales: no container name, no host port; Nginx holds the public port', ({
    assert,
  }) => {
    const { app: web, worker, nginx } = production.services
    for (const service of [web, worker]) {
      assert.isUndefined(service.container_name)
      assert.isUndefined(service.ports)
    }
    assert.lengthOf(nginx.ports!, 1)
    assert.includeMembers(nginx.volumes!, [
      'static_volume:/srv/www/static:ro',
      'media_volume:/srv/www/media:ro',
    ])
  })

  test('uploads go to the MinIO bucket, the same for the app, the worker and release', ({
    assert,
  }) => {
    const { minio } = production.services
    assert.match(minio.image!, /^minio\/minio:RELEASE\./)
    assert.deepEqual(minio.healthcheck?.test, ['CMD', 'mc', 'ready', 'local'])
    assert.include(minio.volumes!, 'minio_data:/data:rw')
    for (const name of ['app', 'worker', 'release']) {
      assert.containsSubset(
        production.services[name].environment,
        {
          DRIVE_DISK: 's3',
          S3_ENDPOINT: 'http://minio:9000',
          S3_BUCKET: 'gsocial-media',
          S3_FORCE_PATH_STYLE: 'true',
          S3_ACCESS_KEY_ID: minio.environment!.MINIO_ROOT_USER,
          S3_SECRET_ACCESS_KEY: minio.environment!.MINIO_ROOT_PASSWORD,
        },
        name
      )
    }
  })

  test('Redis persists its data and never evicts it', ({ assert }) => {
    const command = production.services.redis.command!.join(' ')
    assert.include(command, '--appendonly yes')
    assert.include(command, '--maxmemory-policy noeviction')
  })

  test('holds no secret itself, nor does the image', async ({ assert }) => {
    const empty = join(dir, 'nothing.env')
    await writeFile(empty, '')
    const { services } = await resolvedConfig(empty)
    for (const name of ['app', 'worker', 'release']) {
      const environment = services[name].environment!
      assert.notProperty(environment, 'APP_KEY', name)
      assert.containsSubset(
        environment,
        {
          DB_PASSWORD: '',
          REDIS_PASSWORD: '',
          AMQP_URL: 'amqp://guest:guest@rabbitmq:5672',
        },
        name
      )
    }
    assert.containsSubset(services.mysql.environment, { MARIADB_PASSWORD: '' })

    // ENV and ARG instructions, continuation lines included.
    const dockerfile = await readFile(app.makePath('Dockerfile'), 'utf8')
    const settings = dockerfile.match(/^(ENV|ARG) (.*\\\n)*.*$/gm) ?? []
    assert.isNotEmpty(settings)
    assert.notMatch(settings.join('\n'), /KEY|PASSWORD|SECRET|TOKEN/i)
  })

  test('secrets reach the containers from the env file', async ({ assert }) => {
    const envFile = join(dir, 'secrets.env')
    await writeFile(
      envFile,
      [
        'APP_KEY=key-from-env-file',
        'MYSQL_USER=app-user',
        'MYSQL_PASSWORD=db-secret',
        'MYSQL_ALLOW_EMPTY_ROOT_PASSWORD=',
        'MYSQL_RANDOM_ROOT_PASSWORD=yes',
        'REDIS_PASSWORD=redis-secret',
        'RABBITMQ_USER=mq-user',
        'RABBITMQ_PASSWORD=mq-secret',
        'S3_ACCESS_KEY_ID=s3-user',
        'S3_SECRET_ACCESS_KEY=s3-secret',
      ].join('\n')
    )
    const { services } = await resolvedConfig(envFile)
    for (const name of ['app', 'worker', 'release']) {
      assert.containsSubset(
        services[name].environment,
        {
          APP_KEY: 'key-from-env-file',
          DB_USER: 'app-user',
          DB_PASSWORD: 'db-secret',
          REDIS_PASSWORD: 'redis-secret',
          AMQP_URL: 'amqp://mq-user:mq-secret@rabbitmq:5672',
          S3_ACCESS_KEY_ID: 's3-user',
          S3_SECRET_ACCESS_KEY: 's3-secret',
        },
        name
      )
    }
    assert.containsSubset(services.minio.environment, {
      MINIO_ROOT_USER: 's3-user',
      MINIO_ROOT_PASSWORD: 's3-secret',
    })
    assert.containsSubset(services.mysql.environment, {
      MARIADB_USER: 'app-user',
      MARIADB_PASSWORD: 'db-secret',
      MARIADB_RANDOM_ROOT_PASSWORD: 'yes',
      MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '',
    })
    assert.includeOrderedMembers(services.redis.command!.slice(-2), [
      '--requirepass',
      'redis-secret',
    ])
    assert.containsSubset(services.rabbitmq.environment, {
      RABBITMQ_DEFAULT_USER: 'mq-user',
      RABBITMQ_DEFAULT_PASS: 'mq-secret',
    })
  })

  test('without settings, the servers keep the local development defaults', async ({ assert }) => {
    const empty = join(dir, 'empty.env')
    await writeFile(empty, '')
    const { services } = await resolvedConfig(empty)
    assert.containsSubset(services.mysql.environment, { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: 'yes' })
    assert.containsSubset(services.rabbitmq.environment, {
      RABBITMQ_DEFAULT_USER: 'guest',
      RABBITMQ_DEFAULT_PASS: 'guest',
    })
    assert.containsSubset(services.minio.environment, {
      MINIO_ROOT_USER: 'minioadmin',
      MINIO_ROOT_PASSWORD: 'minioadmin',
    })
    for (const [name, port] of [
      ['mysql', 3306],
      ['redis', 6379],
      ['rabbitmq', 5672],
      ['minio', 9000],
    ] as const) {
      assert.deepEqual(services[name].ports, [`127.0.0.1:${port}:${port}/tcp`], name)
    }
  })

  test('the dev profile adds a mail catcher', ({ assert }) => {
    const mailpit = production.services.mailpit
    assert.deepEqual(mailpit.profiles, ['dev'])
    assert.match(mailpit.image!, /^axllent\/mailpit:/)
    assert.isArray(mailpit.healthcheck?.test)
  })
})
