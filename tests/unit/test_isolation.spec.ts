import { test } from '@japa/runner'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import { readEnvFile, refuseDevelopmentStores, sharedStores } from '#tests/isolation'

test.group('npm test beside npm run dev', () => {
  test('.env.example and .env.test share no database, Redis db, vhost or port', ({ assert }) => {
    const development = readEnvFile(app.makePath('.env.example'))
    const tests = readEnvFile(app.makePath('.env.test'))
    assert.deepEqual(sharedStores(development, tests), [])
    // Each store is named on both sides, so the comparison compares something.
    for (const key of ['DB_DATABASE', 'AMQP_URL', 'PORT']) {
      assert.properties(development, [key])
      assert.properties(tests, [key])
    }
  })

  test('the test run refuses a store that .env uses', async ({ assert }) => {
    const folder = await mkdtemp(join(tmpdir(), 'gsocial-env-'))
    try {
      const envFile = join(folder, '.env')
      await writeFile(
        envFile,
        'DB_DATABASE=gsocial\nAMQP_URL=amqp://guest:guest@127.0.0.1:5672/gsocial_dev\n'
      )
      const settings = { DB_DATABASE: 'gsocial_test', REDIS_DB: '1', PORT: '3334' }
      assert.doesNotThrow(() =>
        refuseDevelopmentStores(envFile, { ...settings, AMQP_URL: 'amqp://h/gsocial_test' })
      )
      assert.throws(
        () => refuseDevelopmentStores(envFile, { ...settings, AMQP_URL: 'amqp://h/gsocial_dev' }),
        /would use the RabbitMQ vhost of \.env/
      )
      assert.throws(
        () =>
          refuseDevelopmentStores(envFile, {
            ...settings,
            REDIS_DB: undefined,
            AMQP_URL: 'amqp://h/x',
          }),
        /would use the Redis database of \.env/
      )
      refuseDevelopmentStores(join(folder, 'missing.env'), settings)
    } finally {
      await rm(folder, { recursive: true })
    }
  })
})
