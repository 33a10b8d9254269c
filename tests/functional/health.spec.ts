import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import db from '@adonisjs/lucid/services/db'
import { route } from '#tests/helpers'

/** A loopback port nothing listens on. */
const DEAD_PORT = 1

test.group('Health checks', () => {
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

  test('unknown API routes answer a JSON 404 in the error shape', async ({ client }) => {
    const response = await client.get('/api/nothing-here')
    response.assertStatus(404)
    response.assertBodyContains({ errors: [{ message: 'Cannot GET:/api/nothing-here' }] })
  })

  test('unknown pages answer the HTML 404 page', async ({ client, assert }) => {
    const response = await client.get('/nothing-here').header('accept', 'text/html')
    response.assertStatus(404)
    assert.include(response.text(), 'Page not found')
  })
})
