import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import { isDependencyDown } from '#helpers/dependency_errors'
import { freePort } from '#tests/integration/helpers/processes'

/**
 * What ioredis throws while Redis is away carries no code: the errors a
 * session read or a command meets then must still read as "a dependency is
 * down" (a 503), never as a bug (a 500).
 */
test.group('Dependency errors', () => {
  test('ioredis refusing a command offline, timing out, or giving up is a dependency down', async ({
    assert,
  }) => {
    const port = await freePort()
    const offline = new Redis({ port, lazyConnect: true, enableOfflineQueue: false })
    const retried = new Redis({ port, maxRetriesPerRequest: 0, retryStrategy: () => 50 })
    for (const client of [offline, retried]) client.on('error', () => {})
    try {
      const errors = await Promise.all([
        offline.get('key').catch((error) => error),
        retried.get('key').catch((error) => error),
      ])
      for (const error of errors) {
        assert.instanceOf(error, Error)
        assert.isTrue(isDependencyDown(error), error.message)
      }
      assert.isTrue(isDependencyDown(new Error('Command timed out')))
      assert.isTrue(isDependencyDown(new Error('wrapped', { cause: errors[0] })))
      assert.isFalse(isDependencyDown(new Error('Cannot read properties of undefined')))
    } finally {
      offline.disconnect()
      retried.disconnect()
    }
  })
})
