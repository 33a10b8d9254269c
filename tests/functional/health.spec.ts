import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import db from '@adonisjs/lucid/services/db'
import { route } from '#tests/helpers'
import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { RedisCheck, RedisConnection } from '@adonisjs/redis'
import { TimeLimitedCheck } from '#checks/time_limited_check'
import { forgetReadiness } from '#start/health'

/** A loopback port nothing listens on. */
const DEAD_PORT = 1

/**
 * A dependency that hangs rather than refuses: it accepts TCP connections
 * and never says a word (a stuck server, a black-holing firewall).
 */
async function silentServer() {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

test.group('Health checks', (group) => {
  // Readiness results are cached for a few seconds; each test probes anew.
  group.each.setup(() => forgetReadiness())

  test('live answers without touching any dependency', async ({ client }) => {
    const response = await client.get(route('health.live'))
    response.assertStatus(200)
    response.assertBody({ status: 'ok' })
  })

  test('ready reports MySQL, Redis and RabbitMQ as healthy', async ({ client, assert }) => {
    const response = await client.get(route('health.ready'))
    response.assertStatus(200)
    const body = response.body()
    assert.isTrue(body.isHealthy)
    assert.sameMembers(
      body.checks.map((check: { name: string }) => check.name),
      ['MySQL', 'Redis', 'RabbitMQ']
    )
    assert.isTrue(body.checks.every((check: { status: string }) => check.status === 'ok'))
  })

  test('ready answers 503 naming RabbitMQ when it is unreachable', async ({ client, assert }) => {
    const url = config.get<string>('rabbitmq.url')
    config.set('rabbitmq.url', `amqp://guest:guest@127.0.0.1:${DEAD_PORT}`)
    try {
      const started = Date.now()
      const response = await client.get(route('health.ready'))
      response.assertStatus(503)
      assert.isBelow(Date.now() - started, 2000)
      const messages = response.body().errors.map((error: { message: string }) => error.message)
      assert.lengthOf(messages, 1)
      assert.match(messages[0], /^RabbitMQ: /)
    } finally {
      config.set('rabbitmq.url', url)
    }
  })

  test('ready answers 503 naming MySQL when it is unreachable', async ({ client, assert }) => {
    const original = db.getRawConnection('mysql')!.config
    await db.manager.close('mysql')
    db.manager.patch('mysql', {
      ...original,
      connection: { ...(original.connection as object), port: DEAD_PORT },
    } as typeof original)
    try {
      const response = await client.get(route('health.ready'))
      response.assertStatus(503)
      const messages = response.body().errors.map((error: { message: string }) => error.message)
      assert.lengthOf(messages, 1)
      assert.match(messages[0], /^MySQL: /)
    } finally {
      await db.manager.close('mysql')
      db.manager.patch('mysql', original)
    }
  })

  test('ready answers 503 within 2 s when MySQL and RabbitMQ hang', async ({ client, assert }) => {
    const silent = await silentServer()
    const url = config.get<string>('rabbitmq.url')
    const original = db.getRawConnection('mysql')!.config
    await db.manager.close('mysql')
    db.manager.patch('mysql', {
      ...original,
      connection: { ...(original.connection as object), port: silent.port },
    } as typeof original)
    config.set('rabbitmq.url', `amqp://guest:guest@127.0.0.1:${silent.port}`)
    try {
      const started = Date.now()
      const response = await client.get('/health/ready')
      assert.isBelow(Date.now() - started, 2000)
      response.assertStatus(503)
      const messages = response.body().errors.map((error: { message: string }) => error.message)
      assert.sameMembers(
        messages.map((message: string) => message.split(':')[0]),
        ['MySQL', 'RabbitMQ']
      )
    } finally {
      config.set('rabbitmq.url', url)
      await db.manager.close('mysql')
      db.manager.patch('mysql', original)
      await silent.close()
    }
  }).timeout(10_000)

  test('the Redis check is bounded too when Redis hangs', async ({ assert }) => {
    const silent = await silentServer()
    // The app's settings (no offline queue, one retry), against a silent server.
    const connection = new RedisConnection('silent', {
      host: '127.0.0.1',
      port: silent.port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    })
    connection.on('error', () => {})
    try {
      const started = Date.now()
      const result = await new TimeLimitedCheck(
        'Redis',
        () => new RedisCheck(connection),
        1500
      ).run()
      assert.isBelow(Date.now() - started, 2000)
      assert.equal(result.status, 'error')
    } finally {
      await connection.disconnect()
      await silent.close()
    }
  })

  test('unknown API routes answer a JSON 404 in the error shape', async ({ client }) => {
    const response = await client.get('/api/nothing-here')
    response.assertStatus(404)
    response.assertBody({
      errors: [{ message: 'Not found: nothing answers GET /api/nothing-here' }],
    })
    // An API address nobody has starts no session.
    response.assertHeaderMissing('set-cookie')
  })

  test('unknown pages answer the HTML 404 page', async ({ client, assert }) => {
    const response = await client.get('/nothing-here').header('accept', 'text/html')
    response.assertStatus(404)
    assert.include(response.text(), 'Page not found')
  })
})
